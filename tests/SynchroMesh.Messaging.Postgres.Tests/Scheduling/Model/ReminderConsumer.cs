namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

public sealed class ReminderConsumer(ReceivedReminders received) : IConsumer<Reminder>
{
    public Task Consume(ConsumeContext<Reminder> context)
    {
        received.Add(context.Message.ReminderId, context.GetSchedulingTokenId());
        return Task.CompletedTask;
    }
}
