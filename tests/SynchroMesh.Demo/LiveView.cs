using System.Globalization;
using System.Text;

namespace SynchroMesh.Demo;

/// <summary>
/// The demo's table, redrawn in place on a terminal (or printed every few seconds when the output is a file): per
/// branch what was written, what waits, what is acked, its link and its lag at the head office; the head office's totals.
/// </summary>
public sealed class LiveView(
    SyncSystem system, IReadOnlyList<BranchOffice> branches, IReadOnlyList<LinkSchedule> schedules,
    IReadOnlyList<SalesWorkload> workloads, IReadOnlyList<TillWriter> tills)
{
    private readonly bool _terminal = !Console.IsOutputRedirected;
    private DateTime _lastPrinted = DateTime.MinValue;

    /// <param name="always">Print even when the output is a file and the last table is recent (the last table of a phase).</param>
    public async Task RenderAsync(string phase, bool always = false)
    {
        if (!_terminal && !always && DateTime.UtcNow - _lastPrinted < TimeSpan.FromSeconds(5))
        {
            return;
        }

        _lastPrinted = DateTime.UtcNow;
        var atHeadOffice = await TryAsync(() => system.HeadOffice.BranchesAsync());
        var report = await TryAsync(() => system.HeadOffice.SalesReportAsync("groupBy=branch"));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"SynchroMesh demo: {phase}   (Ctrl-C stops everything)");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"console: {new Uri(system.HeadOffice.Process.Http.BaseAddress!, "/console")}  (sign in as {LabCredentials.OperatorName}, password {LabCredentials.OperatorPassword}: made for this run)");
        if (Environment.GetEnvironmentVariable("SYNCHROMESH_DASHBOARD_URL") is { Length: > 0 } dashboard)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"traces, metrics and logs: {dashboard}");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"branch",-22} {"link",-5} {"schedule",-38} {"written",8} {"not sent",9} {"waiting",8} {"acked",8} {"at HO",7} {"lag s",6} {"HO sees",8}");
        for (var i = 0; i < branches.Count; i++)
        {
            var branch = branches[i];
            var status = await TryAsync(branch.StatusAsync);
            var held = atHeadOffice?.SingleOrDefault(b => b.BranchId == branch.Id);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{branch.Id,-22} {(branch.Link.IsUp ? "up" : "DOWN"),-5} {schedules[i].Description,-38} " +
                $"{workloads[i].Writes + tills[i].Writes,8} {Show(status?.NotSent),9} {Show(status?.WaitingForAck),8} {Show(status?.Acked),8} " +
                $"{Show(held?.Rows),7} {(held?.LagSeconds is { } lag ? lag.ToString("0.0", CultureInfo.InvariantCulture) : "-"),6} " +
                $"{(held is null ? "-" : held.Online ? "online" : "offline"),8}");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"head office: {atHeadOffice?.Sum(b => b.Rows) ?? 0} rows ({atHeadOffice?.Sum(b => b.Deleted) ?? 0} deleted) from " +
            $"{atHeadOffice?.Length ?? 0} branches; live sales total {report?.Totals.Total.ToString("N2", CultureInfo.InvariantCulture) ?? "-"} " +
            $"(quantity {report?.Totals.Quantity ?? 0})");
        if (_terminal)
        {
            Console.Write("\u001b[H\u001b[2J" + text);
        }
        else
        {
            Console.WriteLine(text);
        }
    }

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    // A branch or the head office may be restarting: the table shows "?" rather than stopping the demo.
    private static async Task<T?> TryAsync<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
