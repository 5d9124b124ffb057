using MassTransit;

namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

public sealed class ReminderConsumer : IConsumer<Reminder>
{
    readonly ReceivedReminders _received;

    public ReminderConsumer(ReceivedReminders received)
    {
        _received = received;
    }

    public Task Consume(ConsumeContext<Reminder> context)
    {
        _received.Add(context.Message.ReminderId, context.GetSchedulingTokenId());
        return Task.CompletedTask;
    }
}
