namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>Keys of the trigger's job data: everything needed to send the message when it is due.</summary>
internal static class ScheduledMessageData
{
    public const string Destination = "Destination";
    public const string Body = "Body";
    public const string ContentType = "ContentType";
    public const string MessageTypes = "MessageType";
    public const string MessageId = "MessageId";
    public const string CorrelationId = "CorrelationId";
    public const string ConversationId = "ConversationId";
    public const string InitiatorId = "InitiatorId";
    public const string RequestId = "RequestId";
    public const string SourceAddress = "SourceAddress";
    public const string ResponseAddress = "ResponseAddress";
    public const string FaultAddress = "FaultAddress";
    public const string ExpirationTime = "ExpirationTime";
    public const string TokenId = "TokenId";
    public const string HeadersAsJson = "HeadersAsJson";

    /// <summary>The W3C trace context the message was scheduled in: the send continues that trace when it is due.</summary>
    public const string TraceParent = "TraceParent";

    public const char MessageTypeSeparator = ';';
}
