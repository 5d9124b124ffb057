namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

/// <summary>A fresh database for one test class; Quartz provisions its own tables in it.</summary>
public sealed class SchedulerSpecDatabase : IAsyncLifetime
{
    public PostgresDatabase Database { get; } = new();

    public Task InitializeAsync() => Database.InitializeAsync();

    public Task DisposeAsync() => Database.DisposeAsync();

    /// <summary>Waits until Quartz stores <paramref name="count"/> triggers for the schedule <paramref name="tokenId"/>.</summary>
    public Task UntilStoredTriggersAsync(Guid tokenId, long count, string what) =>
        Eventually.UntilAsync(async () => await StoredTriggers(tokenId) == count, SpecTimeout.Default, what);

    Task<long> StoredTriggers(Guid tokenId) =>
        Database.Scalar<long>($"SELECT count(*) FROM qrtz_triggers WHERE trigger_name = '{tokenId:N}'");
}
