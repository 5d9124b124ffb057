using System.Text.RegularExpressions;
using SynchroMesh.Contracts;

namespace SynchroMesh.Broker;

/// <summary>
/// The head office's side of the broker: the queues its consumers read (each fed by the MassTransit exchange of the
/// same name) and the exchange of single-product acks. Branches reach the first two through routes of their own
/// (<see cref="BranchTopology.Routes"/>).
/// </summary>
public static class HeadOfficeTopology
{
    /// <summary>Batches of sales from the branches (<c>ProductsSubmitted</c>).</summary>
    public const string BatchQueue = "head-office-products-submitted";

    /// <summary>Single sales from other programs (<c>ProductSubmitted</c>).</summary>
    public const string SingleProductQueue = "head-office-product-submitted";

    /// <summary>The branches' heartbeats.</summary>
    public const string HeartbeatQueue = "head-office-branch-heartbeats";

    /// <summary>Sales report requests.</summary>
    public const string SalesReportQueue = "head-office-sales-report";

    /// <summary>The topic exchange of single-product acks (<c>ProductAcked</c>), routing key the branch id.</summary>
    public const string SingleAckExchange = "synchromesh.product-acked";

    /// <summary>How MassTransit names a queue's error queue: the queue's name and this.</summary>
    public const string ErrorSuffix = "_error";

    /// <summary>Where MassTransit moves a queue's faulted messages.</summary>
    public static string ErrorQueue(string queue) => queue + ErrorSuffix;

    /// <summary>Whether <paramref name="queue"/> is an error queue.</summary>
    public static bool IsErrorQueue(string queue) => queue.EndsWith(ErrorSuffix, StringComparison.Ordinal);

    /// <summary>The queue whose faulted messages an error queue holds.</summary>
    public static string SourceOf(string errorQueue) => errorQueue[..^ErrorSuffix.Length];

    /// <summary>Where MassTransit moves a queue's messages that no consumer takes.</summary>
    public static string SkippedQueue(string queue) => queue + "_skipped";
}

/// <summary>An exchange-to-exchange binding the administrator makes for a branch (fanout, empty routing key).</summary>
public sealed record BrokerRoute(string From, string To);

/// <summary>
/// Everything one branch has at the broker: its user, the queues and exchanges it declares, the routes that carry its
/// messages to the head office, and the permissions that allow exactly those. The branch's services take their names
/// from here, and the admin tool grants the rights from here, so the two cannot drift apart.
/// </summary>
/// <remarks>
/// A branch never writes to an exchange another branch uses: it sends into its own <see cref="SubmitExchange"/> and
/// <see cref="HeartbeatExchange"/>, which the administrator binds to the head office's exchanges, and hears its acks on
/// its own <see cref="AckExchange"/>, to which the head office sends them. With no right on a shared exchange it can
/// neither delete, redeclare nor bind from one, so no branch can fake, divert or destroy another's traffic.
/// </remarks>
public sealed class BranchTopology
{
    /// <summary>Every branch user's name starts so; the rest is the branch id.</summary>
    public const string UserPrefix = "branch-";

    public BranchTopology(string branchId)
    {
        if (!BranchIds.IsValid(branchId))
        {
            throw new ArgumentException(
                $"'{branchId}' is not a branch id: {BranchIds.Rule}",
                nameof(branchId));
        }

        BranchId = branchId;
    }

    public string BranchId { get; }

    /// <summary>The broker user the branch logs in as and stamps on every message it sends.</summary>
    public string User => UserPrefix + BranchId;

    /// <summary>The queue of the branch's batch saga: its "sent" events, its timeouts and the head office's acks.</summary>
    public string SagaQueue => $"{BranchId}-product-sync";

    /// <summary>The queue of the branch's message scheduler.</summary>
    public string SchedulerQueue => $"{BranchId}-scheduler";

    /// <summary>The queue of the branch's bus (replies; MassTransit would otherwise name it after the machine).</summary>
    public string BusQueue => $"{BranchId}-bus";

    /// <summary>Where the branch sends its batches; routed to <see cref="HeadOfficeTopology.BatchQueue"/>.</summary>
    public string SubmitExchange => $"{BranchId}-submit";

    /// <summary>Where the branch sends its heartbeats; routed to <see cref="HeadOfficeTopology.HeartbeatQueue"/>.</summary>
    public string HeartbeatExchange => $"{BranchId}-heartbeat";

    /// <summary>Where the head office sends the branch's batch acks; the branch binds it to its saga queue.</summary>
    public string AckExchange => $"{BranchId}-acks";

    /// <summary>The queues the branch declares, with MassTransit's error and skipped queues of each.</summary>
    public IReadOnlyList<string> Queues =>
        [.. new[] { SagaQueue, SchedulerQueue, BusQueue }.SelectMany(q => new[] { q, HeadOfficeTopology.ErrorQueue(q), HeadOfficeTopology.SkippedQueue(q) })];

    /// <summary>The exchanges that are the branch's own: one per queue (MassTransit's) and its three routes' ends.</summary>
    public IReadOnlyList<string> Exchanges => [.. Queues, AckExchange, SubmitExchange, HeartbeatExchange];

    /// <summary>The routes the administrator makes from the branch's exchanges into the head office's.</summary>
    public IReadOnlyList<BrokerRoute> Routes =>
    [
        new(SubmitExchange, HeadOfficeTopology.BatchQueue),
        new(HeartbeatExchange, HeadOfficeTopology.HeartbeatQueue),
    ];

    /// <summary>
    /// The branch's configure, write and read permission: its own queues and exchanges, by exact name, nothing else.
    /// A branch id holds only <c>[a-z0-9-]</c> and every name ends in a fixed suffix, so branch <c>a</c> matches none
    /// of branch <c>a-b</c>'s names.
    /// </summary>
    public string PermissionPattern => $"^({string.Join('|', Exchanges.Select(Regex.Escape))})$";

    /// <summary>The branch a broker user name belongs to, or null when it is not a branch user.</summary>
    public static BranchTopology? OfUser(string user) =>
        user.StartsWith(UserPrefix, StringComparison.Ordinal) && BranchIds.IsValid(user[UserPrefix.Length..])
            ? new BranchTopology(user[UserPrefix.Length..])
            : null;

    public override string ToString() => BranchId;
}
