using System.Net;
using System.Net.Http.Json;

namespace SynchroMesh.FaultLab;

/// <summary>A running HeadOfficeIngest with its own database.</summary>
public sealed class HeadOffice(string database, ServiceProcess process)
{
    public string Database { get; } = database;
    public ServiceProcess Process { get; } = process;

    public async Task<HeadOfficeProductView[]> ListAsync(string branchId) =>
        (await Process.Http.GetFromJsonAsync<HeadOfficeProductView[]>($"/branches/{branchId}/products"))!;

    public async Task<BranchSummaryView[]> BranchesAsync() =>
        (await Process.Http.GetFromJsonAsync<BranchSummaryView[]>("/branches"))!;

    /// <summary><c>GET /reports/sales</c> with a query string such as <c>groupBy=day&amp;from=2026-11-01</c>.</summary>
    public async Task<SalesReportView> SalesReportAsync(string query) =>
        (await Process.Http.GetFromJsonAsync<SalesReportView>($"/reports/sales?{query}"))!;

    public async Task<HeadOfficeProductView?> GetAsync(string branchId, long externalId)
    {
        using var response = await Process.Http.GetAsync($"/branches/{branchId}/products/{externalId}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<HeadOfficeProductView>();
    }
}
