namespace SynchroMesh.Messaging.Postgres.Tests.Infrastructure;

/// <summary>What every spec saga keeps in its row: its state by name and PostgreSQL's xmin as the concurrency token.</summary>
public interface ISpecSagaState : SagaStateMachineInstance
{
    string CurrentState { get; set; }

    uint RowVersion { get; set; }
}
