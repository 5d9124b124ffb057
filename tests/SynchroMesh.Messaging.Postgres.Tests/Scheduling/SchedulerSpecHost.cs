using Microsoft.Extensions.Hosting;
using SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

/// <summary>
/// A generic host wired like a branch service: the Quartz scheduler on PostgreSQL, started by the bus, and an
/// in-memory bus that sends its schedules to the scheduler's queue.
/// </summary>
public sealed class SchedulerSpecHost : IAsyncDisposable
{
    public const string SchedulerName = "branch-spec";
    public const string SchedulerQueue = "branch-spec-scheduler";
    public const string RemindersQueue = "reminders";

    public static readonly Uri Reminders = new($"queue:{RemindersQueue}");

    readonly IHost _host;
    bool _stopped;

    SchedulerSpecHost(IHost host)
    {
        _host = host;
    }

    public IServiceProvider Services => _host.Services;

    public ReceivedReminders Received => Services.GetRequiredService<ReceivedReminders>();

    public UnreachableDestinationFilter Destination => Services.GetRequiredService<UnreachableDestinationFilter>();

    public IMessageScheduler Scheduler => Services.GetRequiredService<IBus>().CreateMessageScheduler(new Uri($"queue:{SchedulerQueue}"));

    /// <summary>Schedules a reminder to <see cref="Reminders"/> through the scheduler's queue, as a branch service schedules.</summary>
    public Task<ScheduledMessage<Reminder>> ScheduleReminder(Guid reminderId, DateTime due) =>
        Scheduler.ScheduleSend(Reminders, due, new Reminder { ReminderId = reminderId });

    public Task CancelReminder(Guid tokenId) => Scheduler.CancelScheduledSend(Reminders, tokenId);

    public Task UntilReceivedAsync(Guid reminderId, string what) =>
        Eventually.UntilAsync(() => Received.Contains(reminderId), SpecTimeout.Default, what);

    public static async Task<SchedulerSpecHost> Start(PostgresDatabase database, Action<IServiceCollection, IBusRegistrationConfigurator>? configure = null)
    {
        var host = await StartUnready(database.ConnectionString, configure);
        await host.UntilRunningAsync();
        return host;
    }

    /// <summary>The host, started, its scheduler perhaps not running yet (its database may not exist yet).</summary>
    public static async Task<SchedulerSpecHost> StartUnready(string connectionString, Action<IServiceCollection, IBusRegistrationConfigurator>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<ReceivedReminders>();
        builder.Services.AddSingleton<UnreachableDestinationFilter>();

        builder.Services.AddMassTransit(x =>
        {
            x.AddPostgresQuartzScheduler(o =>
            {
                o.ConnectionString = connectionString;
                o.SchedulerName = SchedulerName;
                o.QueueName = SchedulerQueue;
                o.SendRetryInitialDelay = TimeSpan.FromSeconds(1);
                o.SendRetryMaxDelay = TimeSpan.FromSeconds(2);
            });

            x.AddConsumer<ReminderConsumer>().Endpoint(e => e.Name = RemindersQueue);
            configure?.Invoke(builder.Services, x);

            x.UsingInMemory((context, cfg) =>
            {
                cfg.UsePostgresQuartzScheduler(context);
                cfg.ConfigureSend(s => s.UseFilter(context.GetRequiredService<UnreachableDestinationFilter>()));
                cfg.ConfigureEndpoints(context);
            });
        });

        var host = builder.Build();
        await host.StartAsync();
        return new SchedulerSpecHost(host);
    }

    /// <summary>Ready as an application would see it: the scheduler's health check passes once Quartz is running.</summary>
    public Task UntilRunningAsync() =>
        Eventually.UntilAsync(async () => (await HealthAsync()).Status == HealthStatus.Healthy, SpecTimeout.Default, "the scheduler is running");

    public Task<HealthReport> HealthAsync() => Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    public async Task Stop()
    {
        if (_stopped)
            return;

        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        _host.Dispose();
    }
}
