using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SynchroMesh.ServiceDefaults.Data;

/// <summary>
/// Creates the service's database when missing and applies the migrations we ship, before anything else
/// starts. A server that is not up yet is waited for with back-off rather than failing the process.
/// </summary>
public sealed partial class DatabaseMigrator<TContext>(
    IServiceScopeFactory scopeFactory,
    DatabaseReadiness readiness,
    ILogger<DatabaseMigrator<TContext>> logger) : IHostedService
    where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                await db.Database.MigrateAsync(cancellationToken);
                readiness.MarkMigrated();
                LogMigrated(typeof(TContext).Name);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                LogRetry(ex, typeof(TContext).Name, attempt, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database of {Context} is migrated")]
    private partial void LogMigrated(string context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database of {Context} not reachable (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogRetry(Exception ex, string context, int attempt, TimeSpan delay);
}
