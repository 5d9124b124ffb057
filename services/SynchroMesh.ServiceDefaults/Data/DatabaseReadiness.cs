namespace SynchroMesh.ServiceDefaults.Data;

/// <summary>Whether the service's database has been migrated; read by the readiness check.</summary>
public sealed class DatabaseReadiness
{
    private volatile bool _migrated;

    public bool IsMigrated => _migrated;

    public void MarkMigrated() => _migrated = true;
}
