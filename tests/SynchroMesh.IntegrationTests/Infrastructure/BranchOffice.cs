using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace SynchroMesh.IntegrationTests.Infrastructure;

/// <summary>A running BranchOutbox with its own database, and what a test does with it.</summary>
public sealed class BranchOffice(string id, string database, ServiceProcess process) : IAsyncDisposable
{
    public string Id { get; } = id;
    public string Database { get; } = database;
    public ServiceProcess Process { get; } = process;

    public async Task<BranchProductView> CreateAsync(SaleInput sale)
    {
        using var response = await Process.Http.PostAsJsonAsync("/products", sale);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<BranchProductView>())!;
    }

    public async Task<BranchProductView> UpdateAsync(long id, SaleInput sale)
    {
        using var response = await Process.Http.PutAsJsonAsync($"/products/{id}", sale);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<BranchProductView>())!;
    }

    public async Task DeleteAsync(long id)
    {
        using var response = await Process.Http.DeleteAsync($"/products/{id}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task<BranchProductView> GetAsync(long id) =>
        (await Process.Http.GetFromJsonAsync<BranchProductView>($"/products/{id}"))!;

    /// <summary>Waits until every given row's current version is acked by the head office.</summary>
    public async Task WaitUntilAllAckedAsync(TimeSpan timeout)
    {
        var acked = await Eventually.TrueAsync(async () => await CountNotAckedAsync() == 0, timeout);
        Assert.True(acked, $"branch {Id}: {await CountNotAckedAsync()} rows still not acked after {timeout}\n{Process.RecentLog}");
    }

    public async Task<long> CountNotAckedAsync() =>
        await ScalarAsync<long>("SELECT count(*) FROM branch.products WHERE acked_version < version");

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(TestServers.Database(Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await TestServers.DropDatabaseAsync(Database);
        await RabbitManagement.DeleteQueueAndExchangeAsync($"{Id}-product-sync");
        await RabbitManagement.DeleteQueueAndExchangeAsync($"{Id}-scheduler");
    }
}
