using System.Diagnostics.Metrics;

namespace SynchroMesh.HeadOfficeIngest.Telemetry;

/// <summary>
/// The ingest's figures as OpenTelemetry metrics (meter <c>SynchroMesh</c>), tagged with the branch id: rows received
/// and rows written (their rate is the ingest rate), batch sizes, and messages that failed, by exception type and sending broker user.
/// </summary>
public sealed class IngestMetrics
{
    private readonly Counter<long> _received;
    private readonly Counter<long> _written;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _errors;

    public IngestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ServiceDefaultsExtensions.TelemetryName);
        _received = meter.CreateCounter<long>("synchromesh.ingest.rows_received", "{row}", "Product versions received, copies and stale ones included");
        _written = meter.CreateCounter<long>("synchromesh.ingest.rows_written", "{row}", "Product versions that created or updated a row");
        _batchSize = meter.CreateHistogram<int>("synchromesh.ingest.batch_size", "{row}", "Valid products per received batch");
        _errors = meter.CreateCounter<long>("synchromesh.ingest.errors", "{message}", "Consume attempts of a branch's message that failed (invalid ones go to the error queue)");
    }

    public void Stored(string branchId, int received, int written)
    {
        var branch = new KeyValuePair<string, object?>(SyncTelemetry.BranchId, branchId);
        _received.Add(received, branch);
        _written.Add(written, branch);
        _batchSize.Record(received, branch);
    }

    /// <summary>
    /// Tagged with the broker user that sent the message (validated by RabbitMQ), not the branch id it claims: a
    /// branch cannot charge its errors to another, nor make up ids to grow the number of series.
    /// </summary>
    public void Failed(string? publishedBy, Exception exception) =>
        _errors.Add(1,
            new KeyValuePair<string, object?>("synchromesh.broker.user", publishedBy ?? "none"),
            new KeyValuePair<string, object?>("error.type", exception.GetType().Name));
}

/// <summary>Counts every failed consume of a branch's message in <see cref="IngestMetrics"/>.</summary>
public sealed class IngestFaultObserver(IngestMetrics metrics) : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (context.Message is ProductsSubmitted or ProductSubmitted or BranchHeartbeat)
        {
            metrics.Failed(BranchBrokerUsers.PublishedBy(context), exception);
        }

        return Task.CompletedTask;
    }
}
