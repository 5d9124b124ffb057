using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SynchroMesh.ServiceDefaults.Data;

/// <summary>
/// Creates the service's database when missing and applies the migrations we ship, in the background: the
/// service starts (HTTP, <c>/health/live</c>) even while its database server is unreachable, reports not-ready,
/// and keeps trying with back-off until the server appears. What needs the database waits for
/// <see cref="DatabaseReadiness" />.
/// </summary>
public sealed partial class DatabaseMigrator<TContext>(
    IServiceScopeFactory scopeFactory,
    DatabaseReadiness readiness,
    ILogger<DatabaseMigrator<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                await db.Database.MigrateAsync(stoppingToken);
                readiness.MarkMigrated();
                LogMigrated(typeof(TContext).Name, attempt);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                delay = Backoff.Next(delay, FirstDelay);
                LogRetry(typeof(TContext).Name, attempt, delay, ex.Message);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database of {Context} is migrated (attempt {Attempt})")]
    private partial void LogMigrated(string context, int attempt);

    // The message only: a server that is down for an hour should not fill the log with stack traces.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Database of {Context} not usable yet (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    private partial void LogRetry(string context, int attempt, TimeSpan delay, string reason);
}
