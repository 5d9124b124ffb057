using SynchroMesh.Messaging.Postgres.Tests.Infrastructure;
using SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

public sealed class When_the_scheduling_host_restarts(SchedulerSpecDatabase database) : IClassFixture<SchedulerSpecDatabase>
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_send_the_schedule_from_the_new_host()
    {
        var reminderId = Guid.NewGuid();

        var first = await SchedulerSpecHost.Start(database.Database);
        var receivedByFirst = first.Received;
        var scheduled = await first.Scheduler.ScheduleSend(SchedulerSpecHost.Reminders, DateTime.UtcNow.AddSeconds(4), new Reminder { ReminderId = reminderId });
        await Eventually.UntilAsync(async () => await database.StoredTriggers(scheduled.TokenId) == 1, Timeout, "the schedule is stored");
        await first.DisposeAsync();

        Assert.False(receivedByFirst.Contains(reminderId), "The reminder fired before the first host stopped; the spec proves nothing.");

        await using var second = await SchedulerSpecHost.Start(database.Database);

        await Eventually.UntilAsync(() => second.Received.Contains(reminderId), Timeout, "the restarted host sends the reminder");
        Assert.Equal(scheduled.TokenId, second.Received.TokenOf(reminderId));
    }
}
