namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

public sealed record ShipmentClosed
{
    public required Guid ShipmentId { get; init; }
}
