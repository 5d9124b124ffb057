using System.Diagnostics.Metrics;
using MassTransit.Middleware.InMemoryOutbox;
using SynchroMesh.ServiceDefaults.Extensions;

namespace SynchroMesh.BranchOutbox.Telemetry;

/// <summary>
/// The branch's sync figures as OpenTelemetry metrics (meter <c>SynchroMesh</c>), each tagged with the branch id.
/// Counters count as things happen; the backlog gauges show the figures read at the last heartbeat tick (every
/// <c>Sync:HeartbeatInterval</c>, online or not).
/// </summary>
public sealed class BranchMetrics
{
    private readonly KeyValuePair<string, object?> _branch;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _acked;
    private readonly Counter<long> _timeouts;
    private readonly Counter<long> _resent;
    private readonly Histogram<int> _batchSize;
    private readonly TimeProvider _clock;
    private volatile SyncFigures? _figures;

    public BranchMetrics(IMeterFactory meters, IOptions<BranchOptions> branch, TimeProvider clock)
    {
        _clock = clock;
        _branch = new KeyValuePair<string, object?>(SyncTelemetry.BranchId, branch.Value.Id);
        var meter = meters.Create(ServiceDefaultsExtensions.TelemetryName);
        _sent = meter.CreateCounter<long>("synchromesh.branch.rows_sent", "{row}", "Row versions published to the head office, resends included");
        _acked = meter.CreateCounter<long>("synchromesh.branch.rows_acked", "{row}", "Row versions the head office acked");
        _timeouts = meter.CreateCounter<long>("synchromesh.branch.ack_timeouts", "{batch}", "Batches whose ack timeout fired");
        _resent = meter.CreateCounter<long>("synchromesh.branch.rows_resent", "{row}", "Rows put back to be sent again: ack timeout or overdue backstop");
        _batchSize = meter.CreateHistogram<int>("synchromesh.branch.batch_size", "{row}", "Rows per published batch");
        meter.CreateObservableGauge("synchromesh.branch.rows_waiting", () => Figure(f => f.NotSent), "{row}", "Rows whose current version is not sent");
        meter.CreateObservableGauge("synchromesh.branch.rows_waiting_for_ack", () => Figure(f => f.WaitingForAck), "{row}", "Rows sent and not acked");
        meter.CreateObservableGauge("synchromesh.branch.oldest_unacked_age", () => Figure(OldestUnackedAge), "s", "Age of the oldest change not acked; 0 when all is acked");
    }

    public void BatchSent(int rows)
    {
        _sent.Add(rows, _branch);
        _batchSize.Record(rows, _branch);
    }

    public void Acked(int rows) => _acked.Add(rows, _branch);

    public void AckTimedOut() => _timeouts.Add(1, _branch);

    public void Resent(int rows)
    {
        if (rows > 0)
        {
            _resent.Add(rows, _branch);
        }
    }

    /// <summary>
    /// Runs <paramref name="record"/> once the saga's transaction has committed (the saga endpoint's in-memory outbox
    /// runs it after a successful consume), so that an attempt rolled back and retried is not counted twice.
    /// </summary>
    public static void AfterCommit(PipeContext context, Action record)
    {
        if (context.TryGetPayload<OutboxContext>(out var outbox))
        {
            _ = outbox.Add(() =>
            {
                record();
                return Task.CompletedTask;
            });
        }
        else
        {
            record();
        }
    }

    /// <summary>The figures the gauges show from now on.</summary>
    public void Observe(SyncFigures figures) => _figures = figures;

    private double OldestUnackedAge(SyncFigures figures) =>
        figures.OldestUnackedChange is { } oldest ? Math.Max(0, (_clock.GetUtcNow() - oldest).TotalSeconds) : 0;

    private IEnumerable<Measurement<double>> Figure(Func<SyncFigures, double> read) =>
        _figures is { } figures ? [new Measurement<double>(read(figures), _branch)] : [];

    private IEnumerable<Measurement<long>> Figure(Func<SyncFigures, long> read) =>
        _figures is { } figures ? [new Measurement<long>(read(figures), _branch)] : [];
}
