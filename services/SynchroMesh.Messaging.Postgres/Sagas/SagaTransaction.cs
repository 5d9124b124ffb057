using System.Data;
using Microsoft.EntityFrameworkCore.Storage;

namespace SynchroMesh.Messaging.Postgres.Sagas;

/// <summary>
/// Runs one unit of saga work inside one ReadCommitted transaction on the scope's DbContext, so the saga
/// row and whatever the saga's activities wrote through the same context commit or roll back together.
/// </summary>
internal static class SagaTransaction
{
    public static Task Run(DbContext dbContext, Func<Task> work, CancellationToken cancellationToken)
    {
        // The application (for example an outbox or a consumer filter) already owns a transaction on this
        // context: joining it keeps one atomic unit, and committing is the owner's job.
        if (dbContext.Database.CurrentTransaction is not null)
            return work();

        // A retrying execution strategy refuses user transactions unless they run inside it; it replays
        // the whole unit, which is what a saga message needs anyway.
        var strategy = dbContext.Database.CreateExecutionStrategy();

        return strategy.ExecuteAsync(ct => RunOnce(dbContext, work, ct), cancellationToken);
    }

    static async Task RunOnce(DbContext dbContext, Func<Task> work, CancellationToken cancellationToken)
    {
        await using var transaction = await dbContext.Database
            .BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken)
            .ConfigureAwait(false);

        try
        {
            await work().ConfigureAwait(false);

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RollbackQuietly(transaction).ConfigureAwait(false);

            // The next attempt (message retry or execution strategy) may get this same context back;
            // entities tracked from the failed attempt would make it save stale values.
            dbContext.ChangeTracker.Clear();
            throw;
        }
    }

    static async Task RollbackQuietly(IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A rollback fails only when the connection is already gone, in which case PostgreSQL has
            // rolled back on its own; the exception that matters is the one the caller is rethrowing.
        }
    }
}
