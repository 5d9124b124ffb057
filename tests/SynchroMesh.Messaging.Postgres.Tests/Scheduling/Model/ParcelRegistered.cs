namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

public sealed record ParcelRegistered
{
    public required Guid ParcelId { get; init; }
}
