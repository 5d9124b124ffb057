using SynchroMesh.Messaging.Postgres.Tests.Infrastructure;
using SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

public sealed class When_a_message_is_scheduled(SchedulerSpecDatabase database) : IClassFixture<SchedulerSpecDatabase>
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_arrive_after_its_delay_with_the_token_header()
    {
        await using var host = await SchedulerSpecHost.Start(database.Database);
        var reminderId = Guid.NewGuid();
        var due = DateTime.UtcNow.AddSeconds(2);

        var scheduled = await host.Scheduler.ScheduleSend(SchedulerSpecHost.Reminders, due, new Reminder { ReminderId = reminderId });

        await Eventually.UntilAsync(() => host.Received.Contains(reminderId), Timeout, "the reminder arrives");

        Assert.True(DateTime.UtcNow >= due, "The reminder arrived before it was due.");
        Assert.Equal(scheduled.TokenId, host.Received.TokenOf(reminderId));
        // Quartz removes the fired one-shot trigger once the job has completed, just after the send.
        await Eventually.UntilAsync(async () => await database.StoredTriggers(scheduled.TokenId) == 0, Timeout, "the fired trigger is removed");
    }

    [Fact]
    public async Task Should_not_arrive_once_cancelled()
    {
        await using var host = await SchedulerSpecHost.Start(database.Database);
        var cancelledId = Guid.NewGuid();
        var laterId = Guid.NewGuid();

        var cancelled = await host.Scheduler.ScheduleSend(SchedulerSpecHost.Reminders, DateTime.UtcNow.AddSeconds(2), new Reminder { ReminderId = cancelledId });
        await Eventually.UntilAsync(async () => await database.StoredTriggers(cancelled.TokenId) == 1, Timeout, "the schedule is stored");

        await host.Scheduler.CancelScheduledSend(SchedulerSpecHost.Reminders, cancelled.TokenId);
        await Eventually.UntilAsync(async () => await database.StoredTriggers(cancelled.TokenId) == 0, Timeout, "the schedule is removed");

        // A reminder due after the cancelled one marks the moment the cancelled one would have been sent.
        await host.Scheduler.ScheduleSend(SchedulerSpecHost.Reminders, DateTime.UtcNow.AddSeconds(3), new Reminder { ReminderId = laterId });
        await Eventually.UntilAsync(() => host.Received.Contains(laterId), Timeout, "the later reminder arrives");

        Assert.False(host.Received.Contains(cancelledId), "The cancelled reminder was sent.");
    }

    [Fact]
    public async Task Should_be_sent_again_with_back_off_when_the_destination_is_unreachable()
    {
        await using var host = await SchedulerSpecHost.Start(database.Database);
        var reminderId = Guid.NewGuid();
        host.Destination.FailNext(2);

        await host.Scheduler.ScheduleSend(SchedulerSpecHost.Reminders, DateTime.UtcNow.AddSeconds(1), new Reminder { ReminderId = reminderId });

        await Eventually.UntilAsync(() => host.Received.Contains(reminderId), Timeout, "the reminder arrives once the destination is back");

        Assert.Equal(2, host.Destination.Failures);
    }
}
