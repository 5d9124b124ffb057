namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

/// <summary>The same saga with "insert on initial", which takes the repository's Insert path.</summary>
public sealed class InsertingShipmentStateMachine : ShipmentStateMachine
{
    public InsertingShipmentStateMachine()
        : base(insertOnInitial: true)
    {
    }
}
