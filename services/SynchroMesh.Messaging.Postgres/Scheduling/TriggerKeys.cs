namespace SynchroMesh.Messaging.Postgres.Scheduling;

internal static class TriggerKeys
{
    // The token id is what ScheduleMessage and CancelScheduledMessage share, and what the saga stored.
    public static TriggerKey ForToken(Guid tokenId) => new(tokenId.ToString("N"));
}
