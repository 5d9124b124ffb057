using System.ComponentModel.DataAnnotations;

namespace SynchroMesh.BranchOutbox;

/// <summary>How the branch sends its changes (section <c>Sync</c>, env <c>Sync__AckTimeout</c> and so on).</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>How long a sent version waits for its ack before it is sent again.</summary>
    [TimeSpanSetting("00:00:00.100", "1.00:00:00")]
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the outbox looks for changes when nothing wakes it.</summary>
    [TimeSpanSetting("00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many rows go in one batch message (and one batch saga, one ack, one timeout).</summary>
    [Range(1, ProductRules.MaxBatchProducts, ErrorMessage = Setting.Between)]
    public int BatchSize { get; set; } = ProductRules.MaxBatchProducts;

    /// <summary>
    /// How long at most a woken outbox lets changes gather while its last batches wait for their acks (group commit):
    /// with nothing in flight it sends at once. The price of a batch is paid per batch, so a busy branch trades a
    /// little latency for much throughput, and an idle one pays none.
    /// </summary>
    [TimeSpanSetting("00:00:00", "00:00:10")]
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many batches one outbox pass publishes at once, their broker confirms overlapping.</summary>
    [Range(1, 32, ErrorMessage = Setting.Between)]
    public int BatchesInFlight { get; set; } = 8;

    /// <summary>How long one outbox pass may wait for the broker's confirms before it gives up and retries.</summary>
    [TimeSpanSetting("00:00:01", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often, while the broker is reachable, the branch tells the head office its backlog (a heartbeat).</summary>
    [TimeSpanSetting("00:00:01", "01:00:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
