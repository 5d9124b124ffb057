namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

public sealed record PickupTimedOut
{
    public required Guid ParcelId { get; init; }
}
