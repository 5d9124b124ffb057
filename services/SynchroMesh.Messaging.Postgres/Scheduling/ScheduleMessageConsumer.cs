using System.Diagnostics;
using System.Text.Json;
using MassTransit.Context;
using MassTransit.Scheduling;
using MassTransit.Serialization;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>
/// Turns a <see cref="ScheduleMessage" /> into a Quartz trigger keyed by its token id, so a redelivered
/// request replaces its own trigger and a cancel finds it.
/// </summary>
internal sealed class ScheduleMessageConsumer : IConsumer<ScheduleMessage>
{
    readonly ILogger<ScheduleMessageConsumer> _logger;
    readonly PostgresQuartzSchedulerOptions _options;
    readonly QuartzMessageScheduler _scheduler;

    public ScheduleMessageConsumer(QuartzMessageScheduler scheduler, PostgresQuartzSchedulerOptions options,
        ILogger<ScheduleMessageConsumer> logger)
    {
        _scheduler = scheduler;
        _options = options;
        _logger = logger;
    }

    public async Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        var scheduler = await _scheduler.GetScheduler(context.CancellationToken).ConfigureAwait(false);

        var message = context.Message;
        var scheduledTime = ToUtc(message.ScheduledTime);

        var builder = TriggerBuilder.Create(scheduler.TimeProvider)
            .WithIdentity(TriggerKeys.ForToken(message.CorrelationId))
            .ForJob(QuartzMessageScheduler.JobKey)
            .StartAt(scheduledTime)
            // A schedule that fell due while no node was running is sent as soon as one is.
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            // A failed send comes back after a growing wait instead of spinning; the trigger stays in the
            // database meanwhile, so a restart does not lose it.
            .WithRetryPolicy(RetryPolicy.Exponential(_options.SendRetryLimit, _options.SendRetryInitialDelay, 2, _options.SendRetryMaxDelay));

        foreach (var (key, value) in JobData(context))
            builder = builder.UsingJobData(key, value);

        await scheduler.ScheduleTrigger(builder.Build(), TriggerConflict.Replace, context.CancellationToken).ConfigureAwait(false);

        _logger.Scheduled(message.CorrelationId, message.Destination, scheduledTime);
    }

    static IEnumerable<(string Key, string Value)> JobData(ConsumeContext<ScheduleMessage> context)
    {
        var message = context.Message;

        var body = context.SerializerContext.GetMessageSerializer(message.Payload, message.PayloadType)
            .GetMessageBody(new MessageSendContext<ScheduleMessage>(message));

        yield return (ScheduledMessageData.Destination, message.Destination.ToString());
        yield return (ScheduledMessageData.Body, body.GetString());
        yield return (ScheduledMessageData.ContentType, context.ReceiveContext.ContentType.ToString());
        yield return (ScheduledMessageData.MessageTypes, string.Join(ScheduledMessageData.MessageTypeSeparator, message.PayloadType));
        yield return (ScheduledMessageData.TokenId, message.CorrelationId.ToString());
        if (Activity.Current?.Id is { } traceParent)
            yield return (ScheduledMessageData.TraceParent, traceParent);

        (string Key, object? Value)[] addressing =
        [
            (ScheduledMessageData.MessageId, context.MessageId),
            (ScheduledMessageData.CorrelationId, context.CorrelationId),
            (ScheduledMessageData.ConversationId, context.ConversationId),
            (ScheduledMessageData.InitiatorId, context.InitiatorId),
            (ScheduledMessageData.RequestId, context.RequestId),
            (ScheduledMessageData.SourceAddress, context.SourceAddress),
            (ScheduledMessageData.ResponseAddress, context.ResponseAddress),
            (ScheduledMessageData.FaultAddress, context.FaultAddress),
        ];
        foreach (var (key, value) in addressing)
            if (value?.ToString() is { } text)
                yield return (key, text);
        if (context.ExpirationTime is { } expirationTime)
            yield return (ScheduledMessageData.ExpirationTime, ToUtc(expirationTime).ToString("O"));

        var headers = context.Headers.GetAll().ToDictionary(x => x.Key, x => x.Value);
        if (headers.Count > 0)
            yield return (ScheduledMessageData.HeadersAsJson, JsonSerializer.Serialize(headers, SystemTextJsonMessageSerializer.Options));
    }

    // MassTransit sends UTC times; a value that lost its kind on the wire is UTC too.
    static DateTimeOffset ToUtc(DateTime time) =>
        time.Kind == DateTimeKind.Local
            ? new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero)
            : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc), TimeSpan.Zero);
}
