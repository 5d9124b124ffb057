using SynchroMesh.Messaging.Postgres.Tests.Infrastructure;

namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

/// <summary>A fresh database for one test class; Quartz provisions its own tables in it.</summary>
public sealed class SchedulerSpecDatabase : IAsyncLifetime
{
    public PostgresDatabase Database { get; } = new();

    public Task InitializeAsync() => Database.InitializeAsync();

    public Task DisposeAsync() => Database.DisposeAsync();

    public Task<long> StoredTriggers(Guid tokenId) =>
        Database.Scalar<long>($"SELECT count(*) FROM qrtz_triggers WHERE trigger_name = '{tokenId:N}'");
}
