namespace SynchroMesh.Messaging.Postgres.Sagas;

/// <summary>
/// Scoped: MassTransit resolves it from the message's service scope, so the <typeparamref name="TDbContext" />
/// injected here is the very instance that the saga's activities resolve from the consume context.
/// </summary>
public sealed class PostgresSagaRepositoryContextFactory<TSaga, TDbContext> :
    ISagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
    where TDbContext : DbContext
{
    readonly ISagaConsumeContextFactory<DbContext, TSaga> _consumeContextFactory;
    readonly TDbContext _dbContext;
    readonly ILogger<PostgresSagaRepositoryContextFactory<TSaga, TDbContext>> _logger;

    public PostgresSagaRepositoryContextFactory(TDbContext dbContext, ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory,
        ILogger<PostgresSagaRepositoryContextFactory<TSaga, TDbContext>> logger)
    {
        _dbContext = dbContext;
        _consumeContextFactory = consumeContextFactory;
        _logger = logger;
    }

    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class =>
        SagaTransaction.Run(_dbContext, async () =>
        {
            using var repositoryContext = CreateRepositoryContext(context);

            await next.Send(repositoryContext).ConfigureAwait(false);
        }, context.CancellationToken);

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        SagaTransaction.Run(_dbContext, async () =>
        {
            using var repositoryContext = CreateRepositoryContext(context);

            // Loaded tracked, inside the transaction, so each matched instance saves with its concurrency token.
            var instances = await _dbContext.Set<TSaga>()
                .AsTracking()
                .Where(query.FilterExpression)
                .ToListAsync(context.CancellationToken)
                .ConfigureAwait(false);

            await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances)).ConfigureAwait(false);
        }, context.CancellationToken);

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new PostgresSagaReadContext<TSaga>(_dbContext, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new PostgresSagaReadContext<TSaga>(_dbContext, cancellationToken));

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "postgresql");
        context.Add("dbContext", typeof(TDbContext).Name);
    }

    PostgresSagaRepositoryContext<TSaga, T> CreateRepositoryContext<T>(ConsumeContext<T> context)
        where T : class =>
        new(_dbContext, context, _consumeContextFactory, _logger);
}
