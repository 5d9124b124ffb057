namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

/// <summary>
/// The bus stopped and started again in the process, as the supervisor does to leave a stuck link behind: the scheduler
/// stops with the bus and runs again with it, so timeouts keep firing.
/// </summary>
public sealed class When_the_bus_restarts(SchedulerSpecDatabase database) : IClassFixture<SchedulerSpecDatabase>
{
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
        await host.ScheduleReminder(reminderId, DateTime.UtcNow.AddSeconds(1));
        await host.UntilReceivedAsync(reminderId, "the reminder scheduled after the restart arrives");
    }
}
