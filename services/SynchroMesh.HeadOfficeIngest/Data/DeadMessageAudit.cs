namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>
/// What an operator did to a dead message: who, when, why, and the message itself (a discarded message's body lives
/// on here only). Written before the message leaves its error queue, so no message disappears without one.
/// </summary>
public sealed class DeadMessageAudit
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }

    /// <summary><c>retried</c> or <c>discarded</c>.</summary>
    public required string Action { get; set; }

    public required string Note { get; set; }
    public required string Queue { get; set; }
    public required string MessageId { get; set; }
    public required string MessageType { get; set; }
    public string? BranchId { get; set; }
    public required string FaultReason { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public required string Body { get; set; }
}
