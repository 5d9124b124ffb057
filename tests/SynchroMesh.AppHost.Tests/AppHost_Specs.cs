using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SynchroMesh.Broker;
using SynchroMesh.ServiceDefaults.Security;

namespace SynchroMesh.AppHost.Tests;

/// <summary>
/// The AppHost as a developer runs it, against the development servers: the head office and a branch as projects, and
/// the Aspire dashboard receiving their telemetry. A sale's trace is read back from the dashboard's telemetry API,
/// where the dashboard's Traces page reads it too.
/// </summary>
public sealed class When_the_app_host_runs_the_offices : IAsyncLifetime
{
    private const string Branch = "aspire-spec";
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private DistributedApplication _app = null!;
    private Uri _dashboard = null!;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _dashboardLog = new();

    private string VirtualHost => $"sm-apphost-{_suffix}";
    private string DatabasePrefix => $"synchromesh_apphost_{_suffix}_";

    public async Task InitializeAsync()
    {
        await TestServers.Management.CreateVirtualHostAsync(VirtualHost);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SynchroMesh_AppHost>(
            [
                $"SynchroMesh:Branches={Branch}",
                $"SynchroMesh:HttpPort={LocalPorts.Next()}",
                $"SynchroMesh:DatabasePrefix={DatabasePrefix}",
                $"SynchroMesh:RabbitVirtualHost={VirtualHost}",
                $"SynchroMesh:RabbitUser={TestServers.RabbitUser}",
                $"SynchroMesh:ManagementUrl={TestServers.Management.ManagementUrl}",
                $"Parameters:postgres-password={new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString).Password}",
                $"Parameters:rabbitmq-password={TestServers.RabbitPassword}",
                $"Parameters:till-key={LabCredentials.TillKey}",
                $"Parameters:reporting-key={LabCredentials.ReportingKey}",
                $"Parameters:operator-password={LabCredentials.OperatorPassword}",
                "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
                "DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
                // A database of its own, deleted when it stops: a spec's runs stay out of the run history a developer's
                // dashboards keep in ~/.aspire (ten runs, the oldest pruned as new ones start).
                "ASPIRE_DASHBOARD_PERSISTENCE_MODE=None",
                // What the dashboard process logs, relayed by the AppHost (warnings only by default).
                "Logging:LogLevel:Aspire.Hosting.Dashboard=Information",
            ],
            (options, _) =>
            {
                options.DisableDashboard = false;
                options.AllowUnsecuredTransport = true;
            });
        // The AppHost relays what the dashboard process writes under this category: kept for a failure's message.
        builder.Services.AddLogging(logging => logging.AddProvider(new RecordingLoggerProvider("Aspire.Hosting.Dashboard", _dashboardLog)));
        _app = await builder.BuildAsync();
        await _app.StartAsync();
        using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("head-office", ready.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync($"branch-{Branch}", ready.Token);
        var dashboard = await _app.ResourceNotifications.WaitForResourceAsync("aspire-dashboard", e => e.Snapshot.Urls.Length > 0, ready.Token);
        _dashboard = new Uri(dashboard.Snapshot.Urls.First(u => u.Name == "http").Url);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await new BranchAccess(TestServers.Management).RevokeAsync(new BranchTopology(Branch), VirtualHost, deleteQueues: true);
        await TestServers.Management.DeleteVirtualHostAsync(VirtualHost);
        await TestDatabase.DropAsync($"{DatabasePrefix}head_office");
        await TestDatabase.DropAsync($"{DatabasePrefix}{Branch.Replace('-', '_')}");
    }

    [Fact]
    public async Task Should_show_a_sale_s_trace_from_the_branch_through_the_head_office_and_back_in_the_dashboard()
    {
        // The sale is made in a trace the spec names, as a till's own tracing would (the API continues the caller's
        // trace): the dashboard is then asked for that one trace, not for every trace the branch made.
        var traceId = ActivityTraceId.CreateRandom();
        using var branch = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = _app.GetEndpoint($"branch-{Branch}") };
        branch.DefaultRequestHeaders.Add(ApiKeyOptions.Header, LabCredentials.TillKey);
        branch.DefaultRequestHeaders.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var headOffice = _app.CreateHttpClient("head-office");
        headOffice.DefaultRequestHeaders.Add(ApiKeyOptions.Header, LabCredentials.ReportingKey);
        // A read the dashboard leaves unanswered (it has held one past HttpClient's 100 s default) is given up after
        // 10 s and asked again at the next poll, instead of spending the whole wait.
        using var dashboard = new HttpClient { BaseAddress = _dashboard, Timeout = TimeSpan.FromSeconds(10) };
        var branchApi = new BranchApi(Branch, branch);
        var sale = await branchApi.CreateAsync(SaleInput.Example("aspire"));
        await Eventually.UntilAsync(async () => (await headOffice.GetAsync($"/branches/{Branch}/products/{sale.Id}")).IsSuccessStatusCode,
            TimeSpan.FromMinutes(1), $"the head office holds {Branch}/{sale.Id}",
            async () => $"{await ReadOrSayWhyAsync(async () => (await branchApi.StatusAsync()).ToString())}{await ReadOrSayWhyAsync(() => LogTailsAsync(dashboard))}");

        DashboardTrace? trace = null;
        var unanswered = 0;
        await Eventually.UntilAsync(async () =>
            {
                try
                {
                    trace = await DashboardTrace.ReadAsync(dashboard, traceId);
                }
                catch (TaskCanceledException)
                {
                    unanswered++;
                    return false;
                }

                trace = trace is not null && trace.Spans.Any(s =>
                    s.Service == $"branch-{Branch}" && s.Name == "outbox send" && s.LongsOf("synchromesh.product.external_ids").Contains(sale.Id)) ? trace : null;
                // Each process exports its spans on its own schedule: the branch's ack can reach the dashboard before
                // the head office's spans that caused it.
                return trace is not null && trace.Spans.Any(s => s.Service == $"branch-{Branch}" && s.Events.Contains("synchromesh.batch.acked"))
                       && trace.Spans.Any(s => s.Service == "head-office" && s.Scope == "MassTransit")
                       && trace.Spans.Any(s => s.Service == "head-office" && s.Scope == "Npgsql");
            }, TimeSpan.FromMinutes(2), $"the dashboard holds the trace of {Branch}/{sale.Id} with its ack and the head office's spans",
            async () => $"{unanswered} reads unanswered within 10 s; the sale's trace: {trace}{await ReadOrSayWhyAsync(() => LogTailsAsync(dashboard))}{await ReadOrSayWhyAsync(DashboardConsoleAsync)}",
            TimeSpan.FromSeconds(1));

        // Written at the branch (its API), sent by its outbox, stored by the head office (its consumer and its SQL),
        // and the ack seen by the branch's saga: one trace, across both processes.
        Assert.Contains(trace!.Spans, s => s.Service == $"branch-{Branch}" && s.Name.StartsWith("POST", StringComparison.Ordinal));
        Assert.Contains(trace.Spans, s => s.Service == "head-office" && s.Scope == "MassTransit" && s.Text("synchromesh.branch.id") == Branch);
        Assert.Contains(trace.Spans, s => s.Service == "head-office" && s.Scope == "Npgsql");
    }

    /// <summary>
    /// What a failure's message adds, or why it could not be read: the office that is down is the one whose status and
    /// logs are missing (the dashboard answers 404 for a resource that sent nothing), and that must not hide the failure.
    /// </summary>
    private static async Task<string> ReadOrSayWhyAsync(Func<Task<string>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex)
        {
            return $"\n(unreadable: {ex.GetType().Name}: {ex.Message})";
        }
    }

    /// <summary>
    /// The last lines each office logged, as the dashboard holds them (OTLP JSON: a message template and its values),
    /// for a failure's message: CI keeps nothing of a run but its output.
    /// </summary>
    private static async Task<string> LogTailsAsync(HttpClient dashboard)
    {
        var tails = new List<string>();
        foreach (var resource in new[] { "head-office", $"branch-{Branch}" })
        {
            using var json = JsonDocument.Parse(await dashboard.GetStringAsync($"/api/telemetry/logs?resource={resource}&limit=50"));
            var lines = json.RootElement.GetProperty("data").GetProperty("resourceLogs").EnumerateArray()
                .SelectMany(r => r.GetProperty("scopeLogs").EnumerateArray())
                .SelectMany(s => s.GetProperty("logRecords").EnumerateArray().Select(record => (Scope: s.GetProperty("scope").GetProperty("name").GetString(), Record: record)))
                .OrderBy(l => ulong.Parse(l.Record.GetProperty("timeUnixNano").GetString()!))
                .Select(l =>
                {
                    var text = l.Record.TryGetProperty("body", out var body) ? body.GetProperty("stringValue").GetString() ?? "" : "";
                    foreach (var attribute in l.Record.TryGetProperty("attributes", out var a) ? a.EnumerateArray() : default)
                    {
                        var value = attribute.GetProperty("value");
                        text = text.Replace($"{{{attribute.GetProperty("key").GetString()}}}", value.TryGetProperty("stringValue", out var v) ? v.GetString() : value.ToString());
                    }

                    return $"  {l.Record.GetProperty("severityText").GetString()} {l.Scope}: {text.Split('\n')[0]}";
                })
                .TakeLast(15);
            tails.Add($"{resource}'s last log lines:\n{string.Join('\n', lines)}");
        }

        return "\n" + string.Join('\n', tails);
    }

    private const string DashboardResource = "aspire-dashboard";

    /// <summary>
    /// The dashboard's state, exit code and last log lines, as the AppHost holds them: when the dashboard's HTTP API does
    /// not answer, its process may have ended while the orchestrator's proxy still holds its port.
    /// </summary>
    private Task<string> DashboardConsoleAsync()
    {
        var snapshot = _app.ResourceNotifications.TryGetCurrentState(DashboardResource, out var resource) ? resource.Snapshot : null;
        return Task.FromResult(
            $"\n{DashboardResource}: {snapshot?.State?.Text ?? "state unknown"}, exit code {snapshot?.ExitCode?.ToString() ?? "none"}, " +
            $"stopped at {snapshot?.StopTimeStamp?.ToString("O") ?? "-"}; its last log lines:\n  {string.Join("\n  ", _dashboardLog.ToArray().TakeLast(30))}");
    }

    /// <summary>Keeps the lines logged under one category prefix.</summary>
    private sealed class RecordingLoggerProvider(string categoryPrefix, System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith(categoryPrefix, StringComparison.Ordinal) ? new RecordingLogger(categoryName, lines) : NullLogger.Instance;

        public void Dispose()
        {
        }
    }

    private sealed class RecordingLogger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetBaseException().Message)}");
    }

    /// <summary>A trace as the dashboard's telemetry API gives it (OTLP JSON), its spans flattened with their service.</summary>
    private sealed record DashboardTrace(string TraceId, IReadOnlyList<DashboardSpan> Spans)
    {
        /// <summary>The trace <paramref name="traceId"/> with every span the dashboard holds of it, or null while it holds none.</summary>
        public static async Task<DashboardTrace?> ReadAsync(HttpClient dashboard, ActivityTraceId traceId)
        {
            using var response = await dashboard.GetAsync($"/api/telemetry/traces/{traceId.ToHexString()}");
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }

            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var spans = new List<(string TraceId, DashboardSpan Span)>();
            foreach (var resource in json.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
            {
                var service = resource.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                    .Where(a => a.GetProperty("key").GetString() == "service.name")
                    .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString()).FirstOrDefault() ?? "";
                foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
                {
                    var scopeName = scope.GetProperty("scope").GetProperty("name").GetString() ?? "";
                    foreach (var span in scope.GetProperty("spans").EnumerateArray())
                    {
                        var attributes = span.TryGetProperty("attributes", out var a)
                            ? a.EnumerateArray().ToDictionary(x => x.GetProperty("key").GetString()!, x => x.GetProperty("value").Clone())
                            : [];
                        var events = span.TryGetProperty("events", out var e)
                            ? e.EnumerateArray().Select(x => x.GetProperty("name").GetString()!).ToList()
                            : [];
                        spans.Add((span.GetProperty("traceId").GetString()!,
                            new DashboardSpan(service, scopeName, span.GetProperty("name").GetString()!, attributes, events)));
                    }
                }
            }

            return spans.Count == 0 ? null : new DashboardTrace(traceId.ToHexString(), [.. spans.Where(s => s.TraceId == traceId.ToHexString()).Select(s => s.Span)]);
        }

        public override string ToString() =>
            $"{TraceId}: {string.Join("; ", Spans.Select(s => $"{s.Service} [{s.Scope}] {s.Name}"))}";
    }

    private sealed record DashboardSpan(
        string Service, string Scope, string Name, IReadOnlyDictionary<string, JsonElement> Attributes, IReadOnlyList<string> Events)
    {
        public string? Text(string key) =>
            Attributes.TryGetValue(key, out var value) && value.TryGetProperty("stringValue", out var text) ? text.GetString() : null;

        /// <summary>An attribute's integers: the dashboard gives every attribute as a string, an array as "[1,2]".</summary>
        public IReadOnlyList<long> LongsOf(string key) =>
            (Text(key) ?? "").Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(long.Parse).ToList();
    }
}
