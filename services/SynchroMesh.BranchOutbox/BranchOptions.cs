using System.ComponentModel.DataAnnotations;
using SynchroMesh.ServiceDefaults;

namespace SynchroMesh.BranchOutbox;

/// <summary>Which branch this process serves (env <c>Branch__Id</c>).</summary>
public sealed class BranchOptions
{
    public const string Section = "Branch";

    [Required(ErrorMessage = "Branch:Id (env Branch__Id) is required.")]
    [RegularExpression(BranchIds.Pattern, ErrorMessage = "Branch:Id (env Branch__Id) must be lower-case letters, digits and dashes, at most 40, starting with a letter or digit.")]
    public string Id { get; set; } = "";

    /// <summary>The queue of this branch's batch saga, where its "sent" events, its timeouts and the head office's acks arrive.</summary>
    public string SagaQueue => $"{Id}-product-sync";

    /// <summary>The queue of this branch's message scheduler.</summary>
    public string SchedulerQueue => $"{Id}-scheduler";

    /// <summary>
    /// Where this branch sends its batches and its heartbeats: exchanges of its own, which <c>deploy/branch-access.sh</c>
    /// binds to the head office's queues, so that a branch holds no right on any exchange another branch uses.
    /// </summary>
    public string SubmitExchange => $"{Id}-submit";

    /// <inheritdoc cref="SubmitExchange"/>
    public string HeartbeatExchange => $"{Id}-heartbeat";

    /// <summary>The queue of this process's bus (replies; MassTransit would otherwise name it after the machine).</summary>
    public string BusQueue => $"{Id}-bus";
}
