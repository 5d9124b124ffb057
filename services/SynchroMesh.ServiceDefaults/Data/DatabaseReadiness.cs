namespace SynchroMesh.ServiceDefaults.Data;

/// <summary>
/// Whether the service's database has been migrated. Read by the readiness check, and awaited by everything
/// that must not touch the database before then (message consumers, the outbox).
/// </summary>
public sealed class DatabaseReadiness
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsMigrated => _migrated.Task.IsCompleted;

    public void MarkMigrated() => _migrated.TrySetResult();

    /// <summary>Completes once the database is migrated; at once when it already is.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _migrated.Task.WaitAsync(cancellationToken);
}
