using MassTransit.Middleware;

namespace SynchroMesh.Messaging.Postgres.Sagas;

/// <summary>
/// Read-only access behind <see cref="ILoadSagaRepository{TSaga}" /> and <see cref="IQuerySagaRepository{TSaga}" />
/// (APIs and tests reading saga state): untracked reads, no transaction.
/// </summary>
public sealed class PostgresSagaReadContext<TSaga> :
    BasePipeContext,
    LoadSagaRepositoryContext<TSaga>,
    QuerySagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    readonly DbContext _dbContext;

    public PostgresSagaReadContext(DbContext dbContext, CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        _dbContext = dbContext;
    }

    public Task<TSaga> Load(Guid correlationId) =>
        _dbContext.Set<TSaga>()
            .AsNoTracking()
            .SingleOrDefaultAsync(x => x.CorrelationId == correlationId, CancellationToken)!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default)
    {
        var correlationIds = await _dbContext.Set<TSaga>()
            .AsNoTracking()
            .Where(query.FilterExpression)
            .Select(x => x.CorrelationId)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);

        return new DefaultSagaRepositoryQueryContext<TSaga>(this, correlationIds);
    }
}
