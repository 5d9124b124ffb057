namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

public sealed class When_a_message_is_scheduled(SchedulerSpecDatabase database) : IClassFixture<SchedulerSpecDatabase>
{
    [Fact]
    public async Task Should_arrive_after_its_delay_with_the_token_header()
    {
        await using var host = await SchedulerSpecHost.Start(database.Database);
        var reminderId = Guid.NewGuid();
        var due = DateTime.UtcNow.AddSeconds(2);

        var scheduled = await host.ScheduleReminder(reminderId, due);

        await host.UntilReceivedAsync(reminderId, "the reminder arrives");

        Assert.True(DateTime.UtcNow >= due, "The reminder arrived before it was due.");
        Assert.Equal(scheduled.TokenId, host.Received.TokenOf(reminderId));
        // Quartz removes the fired one-shot trigger once the job has completed, just after the send.
        await database.UntilStoredTriggersAsync(scheduled.TokenId, 0, "the fired trigger is removed");
    }

    [Fact]
    public async Task Should_not_arrive_once_cancelled()
    {
        await using var host = await SchedulerSpecHost.Start(database.Database);
        var cancelledId = Guid.NewGuid();
        var laterId = Guid.NewGuid();

        var cancelled = await host.ScheduleReminder(cancelledId, DateTime.UtcNow.AddSeconds(2));
        await database.UntilStoredTriggersAsync(cancelled.TokenId, 1, "the schedule is stored");

        await host.CancelReminder(cancelled.TokenId);
        await database.UntilStoredTriggersAsync(cancelled.TokenId, 0, "the schedule is removed");

        // A reminder due after the cancelled one marks the moment the cancelled one would have been sent.
        await host.ScheduleReminder(laterId, DateTime.UtcNow.AddSeconds(3));
        await host.UntilReceivedAsync(laterId, "the later reminder arrives");

        Assert.False(host.Received.Contains(cancelledId), "The cancelled reminder was sent.");
    }

    [Fact]
    public async Task Should_be_sent_again_with_back_off_when_the_destination_is_unreachable()
    {
        await using var host = await SchedulerSpecHost.Start(database.Database);
        var reminderId = Guid.NewGuid();
        host.Destination.FailNext(2);

        await host.ScheduleReminder(reminderId, DateTime.UtcNow.AddSeconds(1));

        await host.UntilReceivedAsync(reminderId, "the reminder arrives once the destination is back");

        Assert.Equal(2, host.Destination.Failures);
    }
}
