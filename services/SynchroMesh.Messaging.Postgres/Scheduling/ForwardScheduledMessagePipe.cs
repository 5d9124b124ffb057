namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>
/// Sends the stored body as it was serialized, so the destination receives the original message type(s)
/// without this service knowing the .NET type.
/// </summary>
internal sealed class ForwardScheduledMessagePipe : IPipe<SendContext>
{
    readonly Uri _destination;
    readonly ScheduledMessage _message;

    public ForwardScheduledMessagePipe(ScheduledMessage message, Uri destination)
    {
        _message = message;
        _destination = destination;
    }

    public Task Send(SendContext context)
    {
        var deserializer = context.Serialization.GetMessageDeserializer(_message.ContentType);
        var serializerContext = deserializer.Deserialize(deserializer.GetMessageBody(_message.Body), _message.Headers, _destination);

        // The same message id on every attempt lets the receiver recognise a resend after a failed attempt.
        if (_message.MessageId.HasValue)
            context.MessageId = _message.MessageId;

        context.CorrelationId = _message.CorrelationId;
        context.ConversationId = _message.ConversationId;
        context.InitiatorId = _message.InitiatorId;
        context.RequestId = _message.RequestId;
        context.SourceAddress = _message.SourceAddress;
        context.ResponseAddress = _message.ResponseAddress;
        context.FaultAddress = _message.FaultAddress;

        if (_message.MessageTypes.Length > 0)
            context.SupportedMessageTypes = _message.MessageTypes;

        if (_message.ExpirationTime is { } expiration)
            context.TimeToLive = expiration.ToUniversalTime() - DateTime.UtcNow;

        foreach (var (key, value) in _message.Headers.GetAll())
            context.Headers.Set(key, value);

        context.Serializer = serializerContext.GetMessageSerializer();

        return Task.CompletedTask;
    }

    public void Probe(ProbeContext context)
    {
    }
}
