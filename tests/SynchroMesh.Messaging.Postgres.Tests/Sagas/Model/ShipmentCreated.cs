namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

public sealed record ShipmentCreated
{
    public required Guid ShipmentId { get; init; }
}
