namespace SynchroMesh.HeadOfficeIngest.DeadLetters;

/// <summary>A message in an error queue, as an operator reads it.</summary>
/// <param name="Queue">The error queue it sits in.</param>
/// <param name="MessageId">The message's id (MassTransit's envelope, else the AMQP property); what one-message actions name.</param>
/// <param name="MessageType">Its contract (ProductsSubmitted, say), or "unreadable" when the body is not an envelope we can read.</param>
/// <param name="BranchId">The branch that sent it, by the broker-validated user-id; null when no branch's user sent it.</param>
/// <param name="FailedAt">When it was moved to the error queue.</param>
/// <param name="Reason">Why, as the consumer said it.</param>
/// <param name="Body">The body, when asked for.</param>
public sealed record DeadMessage(
    string Queue,
    string MessageId,
    string MessageType,
    string? BranchId,
    DateTimeOffset? FailedAt,
    string Reason,
    string? ExceptionType,
    int SizeBytes,
    string? Body);

/// <summary>An error queue and how many messages it holds (the management API's figure, a few seconds old).</summary>
public sealed record DeadLetterQueue(string Queue, string SourceQueue, long Messages);

/// <summary>Which dead messages an action or a listing takes: every given field must match.</summary>
public sealed record DeadMessageFilter(string? Queue = null, string? MessageId = null, string? BranchId = null, string? MessageType = null)
{
    public bool Matches(DeadMessage message) =>
        (MessageId is null || message.MessageId == MessageId) &&
        (BranchId is null || message.BranchId == BranchId) &&
        (MessageType is null || string.Equals(message.MessageType, MessageType, StringComparison.OrdinalIgnoreCase));
}

public enum DeadMessageAction
{
    /// <summary>Back to the queue it failed in, to be consumed again.</summary>
    Retried,

    /// <summary>Removed for good; its body stays in the audit record.</summary>
    Discarded,
}
