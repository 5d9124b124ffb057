using System.Security.Authentication;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SynchroMesh.ServiceDefaults.Data;

namespace SynchroMesh.ServiceDefaults.Messaging;

public static class RabbitMqBusExtensions
{
    /// <summary>
    /// Binds and validates <see cref="RabbitMqOptions"/> (a bad value stops start-up naming the setting) and sets
    /// how the bus is hosted.
    /// </summary>
    public static IServiceCollection AddBusDefaults(this IServiceCollection services)
    {
        services.AddOptions<RabbitMqOptions>()
            .BindConfiguration(RabbitMqOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // A branch must keep accepting sales while the broker is unreachable, so start-up never waits for it;
        // /health/ready reports the bus instead.
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }

    /// <summary>
    /// Points the bus at the configured broker. Publisher confirms and persistent messages are MassTransit's
    /// defaults; they are set here explicitly because the sync protocol's guarantees rest on them.
    /// </summary>
    public static void ConnectToBroker(this IRabbitMqBusFactoryConfigurator cfg, IBusRegistrationContext context)
    {
        var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        cfg.Host(options.Host, (ushort)options.Port, options.VirtualHost, h =>
        {
            h.Username(options.Username);
            h.Password(options.Password);
            h.PublisherConfirmation = true;
            h.Heartbeat(TimeSpan.FromSeconds(10));
            h.RequestedConnectionTimeout(TimeSpan.FromSeconds(10));
            if (options.UseTls)
            {
                h.UseSsl(tls =>
                {
                    tls.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13;
                    tls.ServerName = string.IsNullOrWhiteSpace(options.TlsServerName) ? options.Host : options.TlsServerName;
                });
            }
        });
        cfg.Durable = true;
        cfg.AutoDelete = false;

        // MassTransit indents its JSON by default: a third of a 500-product batch's bytes were spaces, written,
        // routed, stored by the broker and parsed again. Readers take either form.
        cfg.ConfigureJsonSerializerOptions(json =>
        {
            json.WriteIndented = false;
            return json;
        });
    }

    /// <summary>
    /// What every receive endpoint gets (a setting on the bus alone does not reach the endpoints that definitions
    /// configure): its queue declared as a quorum queue when <see cref="RabbitMqOptions.UseQuorumQueues"/> is set,
    /// messages no consumer takes moved to its error queue (<see cref="NotConsumedFilter"/>), and unreadable bodies
    /// given a reason that says so (<see cref="ReadableFaultReasonFilter"/>).
    /// </summary>
    public static void AddEndpointDefaults(this IBusRegistrationConfigurator x)
    {
        x.AddConfigureEndpointsCallback((context, _, endpoint) =>
        {
            endpoint.ConfigureDeadLetter(d => d.UseFilter(new NotConsumedFilter()));
            // Given an error pipe, MassTransit no longer adds its own two filters, so they follow ours here.
            endpoint.ConfigureError(e =>
            {
                e.UseFilter(new ReadableFaultReasonFilter());
                e.UseFilter(new GenerateFaultFilter());
                e.UseFilter(new ErrorTransportFilter());
            });

            var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
            if (options.UseQuorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.SetQuorumQueue();
            }
        });
    }

    /// <summary>
    /// Consumes nothing before the service's database is migrated (see <see cref="DatabaseReadyFilter" />); applies
    /// to every receive endpoint of the bus.
    /// </summary>
    public static void WaitForDatabase(this IBusFactoryConfigurator cfg, IBusRegistrationContext context)
    {
        cfg.UseFilter(new DatabaseReadyFilter(context.GetRequiredService<DatabaseReadiness>()));
    }

    /// <summary>
    /// The one retry policy of every endpoint: transient failures (database or broker hiccups, optimistic
    /// concurrency conflicts) are retried in memory; an invalid message is not and lands in the error queue.
    /// </summary>
    public static void UseSyncRetry(this IBusFactoryConfigurator cfg)
    {
        cfg.UseMessageRetry(r =>
        {
            r.Ignore<InvalidMessageException>();
            r.Exponential(8, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200));
        });
    }
}
