using System.Globalization;
using System.Net.Mime;
using System.Text.Json;
using MassTransit.Serialization;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>A due message as the trigger stored it, plus the headers the firing adds.</summary>
internal sealed class ScheduledMessage
{
    public required ContentType ContentType { get; init; }
    public required string Body { get; init; }
    public required string[] MessageTypes { get; init; }
    public required DictionarySendHeaders Headers { get; init; }
    public Guid? MessageId { get; init; }
    public Guid? CorrelationId { get; init; }
    public Guid? ConversationId { get; init; }
    public Guid? InitiatorId { get; init; }
    public Guid? RequestId { get; init; }
    public Uri? SourceAddress { get; init; }
    public Uri? ResponseAddress { get; init; }
    public Uri? FaultAddress { get; init; }
    public DateTime? ExpirationTime { get; init; }

    public static ScheduledMessage From(IJobExecutionContext context)
    {
        var data = context.MergedJobDataMap;

        return new ScheduledMessage
        {
            ContentType = new ContentType(data.Required(ScheduledMessageData.ContentType)),
            Body = data.Required(ScheduledMessageData.Body),
            MessageTypes = (data.Optional(ScheduledMessageData.MessageTypes) ?? "")
                .Split(ScheduledMessageData.MessageTypeSeparator, StringSplitOptions.RemoveEmptyEntries),
            Headers = HeadersOf(context),
            MessageId = GuidOf(data, ScheduledMessageData.MessageId),
            CorrelationId = GuidOf(data, ScheduledMessageData.CorrelationId),
            ConversationId = GuidOf(data, ScheduledMessageData.ConversationId),
            InitiatorId = GuidOf(data, ScheduledMessageData.InitiatorId),
            RequestId = GuidOf(data, ScheduledMessageData.RequestId),
            SourceAddress = UriOf(data, ScheduledMessageData.SourceAddress),
            ResponseAddress = UriOf(data, ScheduledMessageData.ResponseAddress),
            FaultAddress = UriOf(data, ScheduledMessageData.FaultAddress),
            ExpirationTime = data.Optional(ScheduledMessageData.ExpirationTime) is { } expiration
                ? DateTime.Parse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
                : null,
        };
    }

    static DictionarySendHeaders HeadersOf(IJobExecutionContext context)
    {
        var data = context.MergedJobDataMap;
        var headers = new DictionarySendHeaders();

        if (data.Optional(ScheduledMessageData.HeadersAsJson) is { } json)
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json, SystemTextJsonMessageSerializer.Options) ?? [];
            foreach (var (key, value) in stored)
                headers.Set(key, value.ValueKind == JsonValueKind.String ? value.GetString() : value);
        }

        // Without this header a saga drops the message: it only accepts the token it stored.
        headers.Set(MessageHeaders.SchedulingTokenId, data.Required(ScheduledMessageData.TokenId));

        headers.Set(MessageHeaders.Quartz.Sent, context.FireTimeUtc);
        if (context.ScheduledFireTimeUtc is { } scheduled)
            headers.Set(MessageHeaders.Quartz.Scheduled, scheduled);

        return headers;
    }

    static Guid? GuidOf(JobDataMap data, string key) =>
        Guid.TryParse(data.Optional(key), out var value) ? value : null;

    static Uri? UriOf(JobDataMap data, string key) =>
        data.Optional(key) is { } text ? new Uri(text) : null;
}
