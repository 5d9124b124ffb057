using System.Diagnostics;
using MassTransit;
using SynchroMesh.Contracts;

namespace SynchroMesh.Telemetry.Tests;

/// <summary>What a trace viewer shows of a sale: spans by name, parent and the attributes that find them.</summary>
internal sealed class Trace(IReadOnlyList<Activity> spans, ActivityTraceId traceId)
{
    private readonly Dictionary<ActivitySpanId, Activity> _byId = spans.Where(s => s.TraceId == traceId).ToDictionary(s => s.SpanId);

    public IEnumerable<Activity> All => _byId.Values;

    /// <summary>
    /// Whether every span's parent is in the trace. Spans are exported as they end, a parent after its children, so a
    /// trace read while its last message is still being consumed holds spans whose parent is not there yet.
    /// </summary>
    public bool IsComplete => _byId.Values.All(s => s.ParentSpanId == default || _byId.ContainsKey(s.ParentSpanId));

    /// <summary>The trace once every span in it has ended.</summary>
    public static async Task<Trace> CompleteAsync(TelemetrySystem system, ActivityTraceId traceId)
    {
        Trace? trace = null;
        await Eventually.UntilAsync(() =>
        {
            trace = new Trace(system.Spans(), traceId);
            return trace.IsComplete;
        }, TimeSpan.FromSeconds(30), "every span of the sale's trace has ended", () => trace?.Describe() ?? "no span yet");
        return trace!;
    }

    public bool IsUnder(Activity span, Activity ancestor)
    {
        for (var parent = span.ParentSpanId; _byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
        {
            if (next.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    public string Describe() => string.Join("\n", _byId.Values.OrderBy(s => s.StartTimeUtc)
        .Select(s => $"{s.SpanId} <- {s.ParentSpanId} [{s.Source.Name}] {s.DisplayName} {string.Join(' ', s.TagObjects.Where(t => t.Key.StartsWith("synchromesh", StringComparison.Ordinal)).Select(t => $"{t.Key}={Format(t.Value)}"))} {string.Join(' ', s.Events.Select(e => "event:" + e.Name))}"));

    public static bool About(Activity span, long externalId) =>
        span.GetTagItem("synchromesh.product.external_ids") is long[] ids && ids.Contains(externalId);

    private static string? Format(object? value) => value is long[] ids ? string.Join(',', ids) : value?.ToString();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry on the real servers";
}

[Collection(TelemetryCollection.Name)]
public sealed class When_a_sale_travels_to_the_head_office
{
    [Fact]
    public async Task Should_leave_one_trace_from_the_branch_write_to_the_saga_seeing_its_ack()
    {
        await using var system = await TelemetrySystem.StartAsync(TimeSpan.FromSeconds(30));
        var id = await system.SellAsync("traced espresso");
        await system.WaitUntilAckedAsync(id, TimeSpan.FromSeconds(60));

        Activity? ackSeen = null;
        await Eventually.UntilAsync(() =>
        {
            ackSeen = system.Spans().FirstOrDefault(s => s.Events.Any(e => e.Name == "synchromesh.batch.acked") && Trace.About(s, id));
            return Task.FromResult(ackSeen is not null);
        }, TimeSpan.FromSeconds(30), "a span of the saga records the ack");

        var trace = await Trace.CompleteAsync(system, ackSeen!.TraceId);
        var write = Assert.Single(trace.All, s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("POST", StringComparison.Ordinal));
        var send = Assert.Single(trace.All, s => s.DisplayName == "outbox send");
        // The head office's consume span: MassTransit's, tagged by the consumer (the saga's ack span carries the event).
        var stored = Assert.Single(trace.All, s => s.Source.Name == "MassTransit" && s.GetTagItem("synchromesh.batch.id") is not null
                                                   && Trace.About(s, id) && s.Events.All(e => e.Name != "synchromesh.batch.acked"));

        // The write, its send, the head office's consume and database work, and the saga's ack, parent to child.
        Assert.Equal(write.SpanId, send.ParentSpanId);
        Assert.Equal(system.BranchId, send.GetTagItem("synchromesh.branch.id"));
        Assert.True(Trace.About(send, id), trace.Describe());
        Assert.True(trace.IsUnder(stored, send), trace.Describe());
        Assert.Equal(system.BranchId, stored.GetTagItem("synchromesh.branch.id"));
        Assert.Contains(trace.All, s => s.Source.Name == "Npgsql" && trace.IsUnder(s, stored));
        Assert.True(trace.IsUnder(ackSeen!, stored), trace.Describe());
        Assert.Equal(system.BranchId, ackSeen!.GetTagItem("synchromesh.branch.id"));
    }

    [Fact]
    public async Task Should_count_what_was_sent_acked_stored_and_refused()
    {
        await using var system = await TelemetrySystem.StartAsync(TimeSpan.FromSeconds(30));
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await system.SellAsync($"counted {i}"));
        }

        foreach (var id in ids)
        {
            await system.WaitUntilAckedAsync(id, TimeSpan.FromSeconds(60));
        }

        // One invalid batch of this branch's own: refused by the head office, counted as an ingest error.
        await using (var bus = await BranchBus.StartAsync(system.BranchAccessSettings))
        {
            await bus.SubmitAsync(new ProductsSubmitted
            {
                BranchId = system.BranchId,
                BatchId = Guid.NewGuid(),
                Products = [ProductMessages.Submitted(system.BranchId, externalId: 999) with { Tax = -1f }],
            });
        }

        await Eventually.UntilAsync(() => Task.FromResult(system.Metric("synchromesh.ingest.errors") == 1), TimeSpan.FromSeconds(30), "the ingest counts one error");
        Assert.Equal(3, system.Metric("synchromesh.branch.rows_sent"));
        Assert.Equal(3, system.Metric("synchromesh.branch.batch_size"));
        Assert.InRange(system.HistogramCount("synchromesh.branch.batch_size"), 1, 3);
        await Eventually.UntilAsync(() => Task.FromResult(system.Metric("synchromesh.branch.rows_acked") == 3), TimeSpan.FromSeconds(30), "the branch counts 3 rows acked");
        Assert.Equal(0, system.Metric("synchromesh.branch.ack_timeouts"));
        Assert.Equal(0, system.Metric("synchromesh.branch.rows_resent"));
        Assert.Equal(3, system.Metric("synchromesh.ingest.rows_received"));
        Assert.Equal(3, system.Metric("synchromesh.ingest.rows_written"));

        // The backlog gauges, read at the next heartbeat tick: nothing waiting.
        await Eventually.UntilAsync(() => Task.FromResult(
            system.Metric("synchromesh.branch.rows_waiting") == 0 && system.Metric("synchromesh.branch.rows_waiting_for_ack") == 0
            && system.Metric("synchromesh.branch.oldest_unacked_age") == 0), TimeSpan.FromSeconds(30), "the branch's gauges show nothing waiting");
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class When_a_sale_is_sent_again_after_its_ack_timed_out
{
    [Fact]
    public async Task Should_show_the_timeout_and_the_resend_in_the_sale_s_trace_and_count_them()
    {
        await using var system = await TelemetrySystem.StartAsync(TimeSpan.FromSeconds(3));

        // The head office hears nothing until the first timeout has fired.
        var routes = await TestServers.Management.UnbindAsync(system.VirtualHost, $"{system.BranchId}-submit", "");
        Assert.NotEmpty(routes);
        var id = await system.SellAsync("resent espresso");
        Activity? timedOut = null;
        await Eventually.UntilAsync(() =>
        {
            timedOut = system.Spans().FirstOrDefault(s => s.Events.Any(e => e.Name == "synchromesh.batch.ack_timed_out"));
            return Task.FromResult(timedOut is not null);
        }, TimeSpan.FromSeconds(60), "the ack timeout fires");
        await TestServers.Management.RebindAsync(system.VirtualHost, routes);
        await system.WaitUntilAckedAsync(id, TimeSpan.FromSeconds(60));

        var spans = system.Spans();
        var write = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("POST", StringComparison.Ordinal)
                                              && spans.Any(o => o.DisplayName == "outbox send" && o.ParentSpanId == s.SpanId));
        var trace = await Trace.CompleteAsync(system, write.TraceId);
        var sends = trace.All.Where(s => s.DisplayName == "outbox send").OrderBy(s => s.StartTimeUtc).ToList();

        // The first send, its timeout (scheduled in its trace and fired there), and the resend, all in the sale's trace.
        Assert.True(sends.Count >= 2, trace.Describe());
        Assert.All(sends, s => Assert.True(Trace.About(s, id)));
        Assert.Equal(write.TraceId, timedOut!.TraceId);
        Assert.True(trace.IsUnder(timedOut, sends[0]), trace.Describe());
        Assert.Contains(trace.All, s => s.DisplayName == "scheduled message due" && trace.IsUnder(timedOut, s));
        // The resend's ack (a slow ack may have let another timeout fire first: any send after the first will do).
        Assert.True(trace.All.Any(s => s.Events.Any(e => e.Name == "synchromesh.batch.acked") && sends.Skip(1).Any(send => trace.IsUnder(s, send))),
            trace.Describe());

        Assert.Equal(sends.Count, system.Metric("synchromesh.branch.rows_sent"));
        Assert.True(system.Metric("synchromesh.branch.ack_timeouts") >= 1);
        Assert.Equal(sends.Count - 1, system.Metric("synchromesh.branch.rows_resent"));
        await Eventually.UntilAsync(() => Task.FromResult(system.Metric("synchromesh.branch.rows_acked") == 1), TimeSpan.FromSeconds(30), "the branch counts the resent row acked");
    }
}
