using System.Diagnostics.Metrics;

namespace SynchroMesh.HeadOfficeIngest.Alerts;

/// <summary>
/// Evaluates the alerts every <see cref="AlertOptions.EvaluationInterval"/> and shows the latest result as metrics
/// (meter <c>SynchroMesh</c>), for an alerting system to page on: <c>synchromesh.alerts.firing</c> by kind,
/// <c>synchromesh.branches</c> and <c>synchromesh.branches.online</c>, <c>synchromesh.dead_messages</c>. Each replica
/// reports the same figures (they come from the database and the broker); aggregate with max, not sum.
/// </summary>
public sealed partial class AlertWatcher : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<AlertOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<AlertWatcher> _logger;
    private volatile AlertReport? _latest;

    public AlertWatcher(IServiceScopeFactory scopes, IOptions<AlertOptions> options, TimeProvider clock, IMeterFactory meters, ILogger<AlertWatcher> logger)
    {
        _scopes = scopes;
        _options = options;
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(ServiceDefaultsExtensions.TelemetryName);
        meter.CreateObservableGauge("synchromesh.alerts.firing", Firing, "{alert}", "Alerts firing now, by kind (Alerts section of the configuration)");
        meter.CreateObservableGauge("synchromesh.branches", () => Figures(r => r.Branches), "{branch}", "Branches the head office knows");
        meter.CreateObservableGauge("synchromesh.branches.online", () => Figures(r => r.BranchesOnline), "{branch}", "Branches whose heartbeat arrived within three intervals");
        meter.CreateObservableGauge("synchromesh.dead_messages", () => Figures(r => r.DeadMessages), "{message}", "Messages in the error queues of the head office's virtual host");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.EvaluationInterval, _clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                _latest = await scope.ServiceProvider.GetRequiredService<AlertMonitor>().EvaluateAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogEvaluationFailed(_logger, e);
            }
        }
    }

    private IEnumerable<Measurement<int>> Firing()
    {
        if (_latest is not { } report)
        {
            yield break;
        }

        foreach (var kind in AlertKinds.All)
        {
            yield return new Measurement<int>(report.Alerts.Count(a => a.Kind == kind), new KeyValuePair<string, object?>("alert", kind));
        }
    }

    private IEnumerable<Measurement<long>> Figures(Func<AlertReport, long> figure) =>
        _latest is { } report ? [new Measurement<long>(figure(report))] : [];

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alerts could not be evaluated; trying again on the next round")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception);
}
