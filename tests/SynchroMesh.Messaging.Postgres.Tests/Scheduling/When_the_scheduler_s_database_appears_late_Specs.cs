namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

/// <summary>
/// A service whose database its own migrator creates: the bus is ready, and the scheduler first tried, before the
/// database exists. The scheduler starts once it does, and stops with the bus like any other.
/// </summary>
public sealed class When_the_scheduler_s_database_appears_late
{
    [Fact]
    public async Task Should_start_the_scheduler_then_and_stop_it_cleanly()
    {
        var name = $"sm_late_{Guid.NewGuid():N}"[..24];
        try
        {
            var host = await SchedulerSpecHost.StartUnready(TestDatabase.ConnectionStringFor(name));
            try
            {
                await Eventually.UntilAsync(async () => (await host.HealthAsync()).Entries.Values.Any(e => e.Description?.Contains("does not exist") == true),
                    SpecTimeout.Default, "the scheduler has tried its missing database");

                await using (var connection = new NpgsqlConnection(TestDatabase.ServerConnectionString))
                {
                    await connection.OpenAsync();
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                    await create.ExecuteNonQueryAsync();
                }

                await host.UntilRunningAsync();
                Assert.Equal(HealthStatus.Healthy, (await host.HealthAsync()).Status);
            }
            finally
            {
                await host.DisposeAsync();
            }
        }
        finally
        {
            await TestDatabase.DropAsync(name);
        }
    }
}
