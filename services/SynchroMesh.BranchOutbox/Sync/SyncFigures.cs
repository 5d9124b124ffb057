namespace SynchroMesh.BranchOutbox.Sync;

/// <summary>
/// Where the branch's rows are in their trip to the head office, counted by where each row's current version is
/// (see <see cref="SyncStates"/>): read by <c>GET /sync/status</c> and sent in the heartbeat.
/// </summary>
/// <param name="OldestUnackedChange">When the oldest change not yet acked was made (null when all is acked).</param>
/// <param name="LastAck">When the head office last acked a change.</param>
/// <param name="NewestChange">The newest change of any row, acked or not.</param>
public sealed record SyncFigures(
    long NotSent, long WaitingForAck, long Acked, DateTimeOffset? OldestUnackedChange, DateTimeOffset? LastAck, DateTimeOffset? NewestChange)
{
    /// <summary>One pass over live rows and tombstones.</summary>
    internal static async Task<SyncFigures> ReadAsync(BranchDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT count(*) FILTER (WHERE {SyncStates.NotSentSql}),
                       count(*) FILTER (WHERE {SyncStates.SentSql}),
                       count(*) FILTER (WHERE {SyncStates.AckedSql}),
                       min(updated_at) FILTER (WHERE {SyncStates.UnackedSql}),
                       max(acked_at),
                       max(updated_at)
                FROM {SyncLedger.Table}
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new SyncFigures(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                NullableTime(reader, 3),
                NullableTime(reader, 4),
                NullableTime(reader, 5));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DateTimeOffset? NullableTime(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
