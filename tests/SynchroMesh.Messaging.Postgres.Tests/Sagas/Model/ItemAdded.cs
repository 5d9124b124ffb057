namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

public sealed record ItemAdded
{
    public required Guid ShipmentId { get; init; }

    /// <summary>Written to the audit table by the saga's activity, through the saga's own DbContext.</summary>
    public required string Note { get; init; }

    /// <summary>Makes the saga pipe throw after the audit row was written.</summary>
    public bool FailAfterAudit { get; init; }
}
