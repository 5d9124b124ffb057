extern alias Branch;
extern alias HeadOffice;

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SynchroMesh.ServiceDefaults.Health;
using SynchroMesh.ServiceDefaults.Security;

namespace SynchroMesh.Telemetry.Tests;

/// <summary>
/// A head office and one branch hosted in this test process, on the real PostgreSQL and RabbitMQ (a virtual host and
/// databases of their own, the branch with its own provisioned broker user), with OpenTelemetry's in-memory exporter
/// added to the branch's providers. Listeners are process-wide, so that one exporter receives the spans and
/// measurements of both services; messages still travel through the broker, so a trace that spans both was carried
/// by the messages' headers, not by this process's memory.
/// </summary>
public sealed class TelemetrySystem : IAsyncDisposable
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly ExportedItems<Activity> _spans = new();
    private readonly ExportedItems<MetricSnapshot> _metrics = new();
    private WebApplicationFactory<HeadOffice::Program>? _headOffice;
    private WebApplicationFactory<Branch::Program>? _branch;
    private HostDisposal? _headOfficeDisposal;
    private HostDisposal? _branchDisposal;

    private TelemetrySystem()
    {
    }

    public string VirtualHost => $"sm-otel-{_suffix}";
    public string BranchId => $"otel-{_suffix}";
    private string HeadOfficeDatabase => $"sm_otel_ho_{_suffix}";
    private string BranchDatabase => $"sm_otel_br_{_suffix}";

    public HttpClient Branch { get; private set; } = null!;
    public IReadOnlyDictionary<string, string> BranchAccessSettings { get; private set; } = null!;

    public static async Task<TelemetrySystem> StartAsync(TimeSpan ackTimeout)
    {
        var system = new TelemetrySystem();
        try
        {
            await system.StartCoreAsync(ackTimeout);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(TimeSpan ackTimeout)
    {
        await TestServers.Management.CreateVirtualHostAsync(VirtualHost);
        BranchAccessSettings = await BranchAccounts.ProvisionAsync(BranchId, VirtualHost);

        _headOffice = new WebApplicationFactory<HeadOffice::Program>().WithWebHostBuilder(web =>
        {
            Broker(web, TestServers.RabbitUser, TestServers.RabbitPassword);
            web.UseSetting("ConnectionStrings:HeadOffice", TestDatabase.ConnectionStringFor(HeadOfficeDatabase));
            Credentials(web, LabCredentials.HeadOfficeProject);
            web.ConfigureServices(services => services.AddSingleton<HostDisposal>());
        });
        _branch = new WebApplicationFactory<Branch::Program>().WithWebHostBuilder(web =>
        {
            Broker(web, BranchAccessSettings["RabbitMq__Username"], BranchAccessSettings["RabbitMq__Password"]);
            web.UseSetting("ConnectionStrings:Branch", TestDatabase.ConnectionStringFor(BranchDatabase));
            web.UseSetting("Branch:Id", BranchId);
            Credentials(web, LabCredentials.BranchProject);
            web.UseSetting("Sync:AckTimeout", ackTimeout.ToString("c"));
            web.UseSetting("Sync:PollInterval", "00:00:00.200");
            web.UseSetting("Sync:HeartbeatInterval", "00:00:01");
            web.ConfigureServices(services => services
                .AddSingleton<HostDisposal>()
                .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans))
                .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics)));
        });

        var headOffice = _headOffice.CreateClient();
        Branch = _branch.CreateClient();
        // Resolved once the hosts run, so that each container disposes its own (see StopAsync).
        _headOfficeDisposal = _headOffice.Services.GetRequiredService<HostDisposal>();
        _branchDisposal = _branch.Services.GetRequiredService<HostDisposal>();
        Branch.DefaultRequestHeaders.Add(ApiKeyOptions.Header, LabCredentials.TillKey);
        foreach (var client in new[] { headOffice, Branch })
        {
            await Eventually.UntilAsync(async () =>
            {
                using var response = await client.GetAsync(ServiceHealth.ReadyPath);
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(90), $"{client.BaseAddress} is ready");
        }
    }

    private static void Credentials(IWebHostBuilder web, string project)
    {
        foreach (var (key, value) in LabCredentials.ConfigurationFor(project))
        {
            web.UseSetting(key, value);
        }
    }

    private void Broker(IWebHostBuilder web, string username, string password)
    {
        web.UseSetting("RabbitMq:Host", TestServers.RabbitHost);
        web.UseSetting("RabbitMq:Port", TestServers.RabbitPort.ToString());
        web.UseSetting("RabbitMq:VirtualHost", VirtualHost);
        web.UseSetting("RabbitMq:Username", username);
        web.UseSetting("RabbitMq:Password", password);
    }

    /// <summary>Records a sale at the branch through its API; returns the row's id (its external id at the HO).</summary>
    public async Task<long> SellAsync(string product)
    {
        using var response = await Branch.PostAsJsonAsync("/products", SaleInput.Example(product: product));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetInt64();
    }

    /// <summary>Waits until the branch says the row's current version is acked by the head office.</summary>
    public async Task WaitUntilAckedAsync(long id, TimeSpan timeout) =>
        await Eventually.UntilAsync(async () =>
        {
            using var body = JsonDocument.Parse(await Branch.GetStringAsync($"/products/{id}"));
            return body.RootElement.GetProperty("syncState").GetString() == "acked";
        }, timeout, $"product {id} is acked");

    /// <summary>Every span ended so far, in both services.</summary>
    public IReadOnlyList<Activity> Spans()
    {
        _branch!.Services.GetRequiredService<TracerProvider>().ForceFlush();
        return _spans.Snapshot();
    }

    /// <summary>The latest value of a counter or gauge for this system's branch (0 when never recorded).</summary>
    public double Metric(string name)
    {
        _branch!.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var snapshot = _metrics.Snapshot().LastOrDefault(m => m.Name == name);
        if (snapshot is null)
        {
            return 0;
        }

        foreach (var point in snapshot.MetricPoints)
        {
            if (HasBranch(point))
            {
                return snapshot.MetricType switch
                {
                    MetricType.LongSum => point.GetSumLong(),
                    MetricType.LongGauge => point.GetGaugeLastValueLong(),
                    MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
                    MetricType.Histogram => point.GetHistogramSum(),
                    _ => throw new InvalidOperationException($"{name}: {snapshot.MetricType} is not read here"),
                };
            }
        }

        return 0;
    }

    /// <summary>How many measurements a histogram took for this branch.</summary>
    public long HistogramCount(string name)
    {
        _branch!.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var snapshot = _metrics.Snapshot().LastOrDefault(m => m.Name == name);
        return snapshot?.MetricPoints
            .Where(p => HasBranch(p))
            .Sum(p => p.GetHistogramCount()) ?? 0;
    }

    private bool HasBranch(MetricPoint point)
    {
        foreach (var tag in point.Tags)
        {
            // Branch metrics carry the branch id; the ingest's errors, the broker user that sent the message.
            if ((tag.Key == "synchromesh.branch.id" && Equals(tag.Value, BranchId))
                || (tag.Key == "synchromesh.broker.user" && Equals(tag.Value, "branch-" + BranchId)))
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(_branch, _branchDisposal);
        }
        finally
        {
            try
            {
                await StopAsync(_headOffice, _headOfficeDisposal);
            }
            finally
            {
                await Task.WhenAll(
                    TestDatabase.DropAsync(HeadOfficeDatabase),
                    TestDatabase.DropAsync(BranchDatabase),
                    TestServers.Management.DeleteVirtualHostAsync(VirtualHost),
                    BranchAccounts.RevokeAsync(BranchId, VirtualHost));
            }
        }
    }

    /// <summary>
    /// Stops a running service the way a signal stops it, through its lifetime, and disposes the factory once the
    /// service's own entry point has stopped the host and begun to dispose it. Disposing the factory alone stops the host
    /// twice at once: the factory stops it, and the entry point (<c>app.RunAsync()</c>), woken by the application
    /// stopping, stops it too and then disposes its container, possibly while the factory's stop is still stopping the
    /// bus (dotnet/aspnetcore#40271): a consumer or the scheduler then meets a disposed container. The factory's own stop
    /// afterwards finds every hosted service stopped already. A factory whose host never ran
    /// (<paramref name="disposal"/> is null) is only disposed: asking it for its services would start one.
    /// </summary>
    private static async Task StopAsync<TEntryPoint>(WebApplicationFactory<TEntryPoint>? factory, HostDisposal? disposal)
        where TEntryPoint : class
    {
        if (factory is null)
        {
            return;
        }

        try
        {
            if (disposal is not null)
            {
                factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
                await disposal.Done.WaitAsync(TimeSpan.FromMinutes(1));
            }
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }

    /// <summary>
    /// Done when the service's container begins to dispose its services: the entry point's stop is over by then. Resolved
    /// after everything else the host runs, it is the first the container disposes.
    /// </summary>
    private sealed class HostDisposal : IDisposable
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        public void Dispose() => _done.TrySetResult();
    }
}
