namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

public sealed record Reminder
{
    public required Guid ReminderId { get; init; }
}
