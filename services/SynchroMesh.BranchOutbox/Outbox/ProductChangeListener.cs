using Npgsql;
using SynchroMesh.ServiceDefaults;


namespace SynchroMesh.BranchOutbox.Outbox;

/// <summary>
/// Wakes the outbox when another program changes a row: the table's triggers notify on
/// <see cref="SyncLedger.ChangeChannel"/> at commit, and this listens on one connection of its own (the service's own
/// writes wake the outbox in the process and are not notified: <see cref="SyncLedger.WakesOutboxSetting"/>). The
/// outbox then needs no fast polling: its poll interval is only the backstop for a notification lost while this was
/// reconnecting.
/// </summary>
/// <param name="connectionString">The branch database, with the service's connection defaults.</param>
public sealed partial class ProductChangeListener(
    string connectionString,
    OutboxSignal signal,
    DatabaseReadiness database,
    TimeProvider clock,
    ILogger<ProductChangeListener> logger) : BackgroundService
{
    /// <summary>How long the connection may stay silent before it is checked: a dead link must not go unnoticed.</summary>
    private static readonly TimeSpan CheckAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The listening connection is the service's own, never pooled (a connection back in the pool after a failure
    /// would still be listening, its notifications unread), with TCP keepalives so that a dead link is noticed.
    /// </summary>
    public static string ConnectionStringFor(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 15 }.ConnectionString;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Notify();
                await using (var listen = new NpgsqlCommand($"LISTEN {SyncLedger.ChangeChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // This pass picks up whatever changed while nothing listened.
                signal.Notify();
                backoff = TimeSpan.Zero;
                LogListening(SyncLedger.ChangeChannel);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(CheckAfter, stoppingToken))
                    {
                        await using var check = new NpgsqlCommand("SELECT 1", connection);
                        await check.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                backoff = Backoff.Next(backoff, TimeSpan.FromMilliseconds(500));
                LogListenFailed(ex, backoff);
                await Task.Delay(backoff, clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listening for changes to the branch's rows on {Channel}")]
    private partial void LogListening(string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for the branch's changes failed; the outbox polls meanwhile. Retrying in {Backoff}")]
    private partial void LogListenFailed(Exception ex, TimeSpan backoff);
}
