using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MassTransit.Middleware;
using Microsoft.Extensions.DependencyInjection;
using SynchroMesh.ServiceDefaults.Data;

namespace SynchroMesh.Messaging;

public static class RabbitMqBusExtensions
{
    /// <summary>
    /// Binds and validates <see cref="RabbitMqOptions"/> (a bad value stops start-up naming the setting) and sets
    /// how the bus is hosted.
    /// </summary>
    public static IServiceCollection AddBusDefaults(this IServiceCollection services)
    {
        services.AddValidatedOptions<RabbitMqOptions>(RabbitMqOptions.Section);

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
            h.Heartbeat(RabbitMqOptions.Heartbeat);
            h.RequestedConnectionTimeout(RabbitMqOptions.ConnectionTimeout);
            if (!string.IsNullOrWhiteSpace(options.Nodes))
            {
                h.UseCluster(cluster =>
                {
                    foreach (var node in options.EndpointsInOwnOrder())
                    {
                        cluster.Node(node.ToString());
                    }
                });
            }

            if (options.UseTls)
            {
                h.UseSsl(tls =>
                {
                    tls.Protocol = RabbitMqOptions.TlsProtocols;
                    tls.ServerName = options.CertificateName;
                    // MassTransit accepts a certificate that chains to no trusted root unless told otherwise (Tls_Specs
                    // shows it): every policy error fails the connection.
                    tls.EnforcePolicyErrors(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch
                                            | SslPolicyErrors.RemoteCertificateNotAvailable);
                    if (options.CertificateCheck() is { } check)
                    {
                        tls.CertificateValidationCallback = check;
                    }
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
    /// Accepts the broker's certificate when it carries the expected name and chains to <paramref name="authority"/>
    /// alone (not to the machine's roots); revocation is not checked (a private CA rarely publishes a list).
    /// </summary>
    internal static RemoteCertificateValidationCallback TrustedBy(X509Certificate2 authority) => (_, certificate, sent, errors) =>
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Intermediates the broker sent along, for a certificate issued under the private CA rather than by it.
        if (sent is not null)
        {
            foreach (var element in sent.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"));
        return chain.Build(presented);
    };

    /// <summary>
    /// What every receive endpoint gets (a setting on the bus alone does not reach the endpoints that definitions
    /// configure): its queue declared as a quorum queue when <see cref="RabbitMqOptions.UseQuorumQueues"/> is set,
    /// messages no consumer takes moved to its error queue (<see cref="NotConsumedFilter"/>), unreadable bodies
    /// given a reason that says so (<see cref="ReadableFaultReasonFilter"/>), and its channels kept from a client defect
    /// that could leave it waiting forever after a lost link (<see cref="ProtectChannelFilter"/>).
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
                e.UseFilter(new NoRedirectedFaultsFilter());
                e.UseFilter(new ErrorTransportFilter());
            });

            if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                return;
            }

            rabbit.ConfigureChannel(channel => channel.UseFilter(new ProtectChannelFilter()));
            if (context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.UseQuorumQueues)
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
