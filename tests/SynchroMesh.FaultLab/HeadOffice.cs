using System.Net;
using System.Net.Http.Json;

namespace SynchroMesh.FaultLab;

/// <summary>
/// A head office: one or more HeadOfficeIngest processes (replicas on the same queues) with their own database. The
/// HTTP calls here go to the first replica; every replica answers them alike from the shared database.
/// </summary>
public sealed class HeadOffice(string database, IReadOnlyList<ServiceProcess> replicas)
{
    public string Database { get; } = database;
    public IReadOnlyList<ServiceProcess> Replicas { get; } = replicas;
    public ServiceProcess Process => Replicas[0];

    /// <summary>How many rows the head office's database holds, whatever branch they came from.</summary>
    public Task<long> StoredRowsAsync() => ScalarAsync<long>("SELECT count(*) FROM head_office.products");

    /// <summary>The first value of one statement on the head office's database (parameters by name).</summary>
    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) =>
        TestDatabase.ScalarAsync<T>(Database, sql, parameters);

    /// <summary>Runs one statement on the head office's database (parameters by name).</summary>
    public Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters) =>
        TestDatabase.ExecuteAsync(Database, sql, parameters);

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

    /// <summary><c>GET /dead-messages</c> with a query string such as <c>branchId=north</c>.</summary>
    public async Task<DeadMessageView[]> DeadMessagesAsync(string query = "") =>
        (await Process.Http.GetFromJsonAsync<DeadMessageView[]>($"/dead-messages?{query}"))!;

    public async Task<DeadMessageAuditView[]> DeadMessageAuditAsync() =>
        (await Process.Http.GetFromJsonAsync<DeadMessageAuditView[]>("/dead-messages/audit"))!;

    public async Task<AlertReportView> AlertsAsync() =>
        (await Process.Http.GetFromJsonAsync<AlertReportView>("/alerts"))!;
}
