namespace SynchroMesh.Messaging.Postgres.Scheduling;

internal static partial class SchedulerLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Scheduled {TokenId} for {Destination} at {ScheduledTime:O}")]
    public static partial void Scheduled(this ILogger logger, Guid tokenId, Uri destination, DateTimeOffset scheduledTime);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "Cancelled scheduled message {TokenId}")]
    public static partial void Cancelled(this ILogger logger, Guid tokenId);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug,
        Message = "Nothing to cancel for scheduled message {TokenId}: already sent or never scheduled")]
    public static partial void NothingToCancel(this ILogger logger, Guid tokenId);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Debug, Message = "Sent scheduled message {TriggerKey} to {Destination}")]
    public static partial void Sent(this ILogger logger, string triggerKey, Uri destination);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning,
        Message = "Could not send scheduled message {TriggerKey} to {Destination} (attempt {Attempt}); Quartz retries it with back-off")]
    public static partial void SendFailed(this ILogger logger, Exception exception, string triggerKey, Uri destination, int attempt);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "Quartz scheduler {SchedulerName} started with the bus")]
    public static partial void SchedulerStarted(this ILogger logger, string schedulerName);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Warning,
        Message = "Quartz scheduler {SchedulerName} could not start (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    public static partial void SchedulerStartFailed(this ILogger logger, string schedulerName, int attempt, TimeSpan delay, string reason);
}
