namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

public class ParcelState : ISpecSagaState
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";

    /// <summary>The token of the pending pickup timeout; a timeout carrying another token is ignored.</summary>
    public Guid? PickupTimeoutTokenId { get; set; }

    public uint RowVersion { get; set; }
}
