using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SynchroMesh.Messaging.Postgres.Tests.Infrastructure;
using SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

/// <summary>
/// The bus stopped and started again in the process, as the supervisor does to leave a stuck link behind: the scheduler
/// stops with the bus and runs again with it, so timeouts keep firing.
/// </summary>
public sealed class When_the_bus_restarts(SchedulerSpecDatabase database) : IClassFixture<SchedulerSpecDatabase>
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_run_the_scheduler_again_and_send_what_falls_due()
    {
        await using var host = await SchedulerSpecHost.Start(database.Database);
        var bus = host.Services.GetRequiredService<IBusControl>();

        await bus.StopAsync();
        Assert.NotEqual(HealthStatus.Healthy, (await host.HealthAsync()).Status);
        await bus.StartAsync();

        await host.UntilRunningAsync();
        var reminderId = Guid.NewGuid();
        await host.Scheduler.ScheduleSend(SchedulerSpecHost.Reminders, DateTime.UtcNow.AddSeconds(1), new Reminder { ReminderId = reminderId });
        await Eventually.UntilAsync(() => host.Received.Contains(reminderId), Timeout, "the reminder scheduled after the restart arrives");
    }
}
