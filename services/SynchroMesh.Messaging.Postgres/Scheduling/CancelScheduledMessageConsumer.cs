using MassTransit.Scheduling;

namespace SynchroMesh.Messaging.Postgres.Scheduling;

/// <summary>Removes the trigger of a scheduled message; one that already fired has nothing left to remove.</summary>
internal sealed class CancelScheduledMessageConsumer : IConsumer<CancelScheduledMessage>
{
    readonly ILogger<CancelScheduledMessageConsumer> _logger;
    readonly QuartzMessageScheduler _scheduler;

    public CancelScheduledMessageConsumer(QuartzMessageScheduler scheduler, ILogger<CancelScheduledMessageConsumer> logger)
    {
        _scheduler = scheduler;
        _logger = logger;
    }

    public async Task Consume(ConsumeContext<CancelScheduledMessage> context)
    {
        var scheduler = await _scheduler.GetScheduler(context.CancellationToken).ConfigureAwait(false);

        var tokenId = context.Message.TokenId;
        if (await scheduler.UnscheduleJob(TriggerKeys.ForToken(tokenId), context.CancellationToken).ConfigureAwait(false))
            _logger.Cancelled(tokenId);
        else
            _logger.NothingToCancel(tokenId);
    }
}
