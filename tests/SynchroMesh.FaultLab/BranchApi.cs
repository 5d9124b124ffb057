using System.Net;
using System.Net.Http.Json;

namespace SynchroMesh.FaultLab;

/// <summary>A branch's HTTP API, as its tills call it, wherever the branch runs (a process here, or a container).</summary>
public sealed class BranchApi(string branchId, HttpClient http)
{
    public async Task<BranchProductView> CreateAsync(SaleInput sale)
    {
        using var response = await http.PostAsJsonAsync("/products", sale);
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<BranchProductView>())!;
    }

    public async Task<BranchProductView> UpdateAsync(long id, SaleInput sale)
    {
        using var response = await http.PutAsJsonAsync($"/products/{id}", sale);
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<BranchProductView>())!;
    }

    public async Task DeleteAsync(long id)
    {
        using var response = await http.DeleteAsync($"/products/{id}");
        await ExpectAsync(response, HttpStatusCode.NoContent);
    }

    public async Task<BranchProductView> GetAsync(long id) =>
        (await http.GetFromJsonAsync<BranchProductView>($"/products/{id}"))!;

    public async Task<SyncStatusView> StatusAsync() =>
        (await http.GetFromJsonAsync<SyncStatusView>("/sync/status"))!;

    private async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            throw new HttpRequestException(
                $"branch {branchId}: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered " +
                $"{(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
        }
    }
}

/// <summary>What a sales workload needs of a branch: its API, and its database for what other programs write there.</summary>
public interface IBranchSales
{
    BranchApi Api { get; }

    Task<Npgsql.NpgsqlConnection> ConnectAsync();
}
