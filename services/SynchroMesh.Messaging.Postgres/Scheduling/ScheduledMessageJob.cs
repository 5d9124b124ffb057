using System.Diagnostics;
using MassTransit.Serialization;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>
/// Fires for every due trigger: sends the stored message body to its destination with the
/// <c>MT-Scheduling-TokenId</c> header, which a saga compares with the token it stored.
/// </summary>
internal sealed class ScheduledMessageJob : IJob
{
    /// <summary>The adapter's spans: one per due message, in the trace it was scheduled in.</summary>
    internal static readonly ActivitySource Source = new("SynchroMesh.Messaging.Postgres");

    readonly IBus _bus;
    readonly ILogger<ScheduledMessageJob> _logger;

    public ScheduledMessageJob(IBus bus, ILogger<ScheduledMessageJob> logger)
    {
        _bus = bus;
        _logger = logger;
    }

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var destination = new Uri(data.Required(ScheduledMessageData.Destination));

        // Days may pass between scheduling and sending: the span continues the trace the message was scheduled in,
        // so the send, and what its consumer does, show up in that trace (a saga's timeout in the trace of its batch).
        ActivityContext.TryParse(data.Optional(ScheduledMessageData.TraceParent), null, out var scheduledIn);
        using var activity = Source.StartActivity("scheduled message due", ActivityKind.Internal, scheduledIn);
        activity?.SetTag("messaging.destination.name", destination.ToString());

        try
        {
            var pipe = new ForwardScheduledMessagePipe(ScheduledMessage.From(context), destination);

            var endpoint = await _bus.GetSendEndpoint(destination).ConfigureAwait(false);

            await endpoint.Send(new SerializedMessageBody(), pipe, cancellationToken).ConfigureAwait(false);

            _logger.Sent(context.Trigger.Key.ToString(), destination);
        }
        catch (Exception exception)
        {
            _logger.SendFailed(exception, context.Trigger.Key.ToString(), destination, context.RetryAttempt);

            // Not RefireImmediately: that would spin against a broker that is down. The trigger's retry
            // policy brings it back later.
            throw new JobExecutionException(exception);
        }
    }
}
