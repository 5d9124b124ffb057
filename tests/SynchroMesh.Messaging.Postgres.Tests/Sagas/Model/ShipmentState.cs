namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

public class ShipmentState : ISpecSagaState
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public int ItemCount { get; set; }

    /// <summary>PostgreSQL's xmin: the optimistic concurrency token.</summary>
    public uint RowVersion { get; set; }
}
