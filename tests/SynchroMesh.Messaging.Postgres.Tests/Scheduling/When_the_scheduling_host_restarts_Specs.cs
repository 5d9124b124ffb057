namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

public sealed class When_the_scheduling_host_restarts(SchedulerSpecDatabase database) : IClassFixture<SchedulerSpecDatabase>
{
    [Fact]
    public async Task Should_send_the_schedule_from_the_new_host()
    {
        var reminderId = Guid.NewGuid();

        var first = await SchedulerSpecHost.Start(database.Database);
        var receivedByFirst = first.Received;
        var scheduled = await first.ScheduleReminder(reminderId, DateTime.UtcNow.AddSeconds(4));
        await database.UntilStoredTriggersAsync(scheduled.TokenId, 1, "the schedule is stored");
        await first.DisposeAsync();

        Assert.False(receivedByFirst.Contains(reminderId), "The reminder fired before the first host stopped; the spec proves nothing.");

        await using var second = await SchedulerSpecHost.Start(database.Database);

        await second.UntilReceivedAsync(reminderId, "the restarted host sends the reminder");
        Assert.Equal(scheduled.TokenId, second.Received.TokenOf(reminderId));
    }
}
