using MassTransit.Context;

namespace SynchroMesh.Messaging.Postgres.Sagas;

/// <summary>
/// What the saga pipe sees for one message: loads and stores <typeparamref name="TSaga" /> through the
/// scope's DbContext, inside the transaction <see cref="SagaTransaction" /> opened. The DbContext is also
/// a payload of this context, so middleware can reach it with <c>context.TryGetPayload&lt;DbContext&gt;</c>.
/// </summary>
public sealed class PostgresSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>,
    IDisposable
    where TSaga : class, ISaga
    where TMessage : class
{
    const string InsertSavepoint = "saga_insert";

    readonly ConsumeContext<TMessage> _consumeContext;
    readonly DbContext _dbContext;
    readonly ISagaConsumeContextFactory<DbContext, TSaga> _factory;
    readonly ILogger _logger;

    // One DbContext is not safe for concurrent use, and a state machine may save while an activity
    // still holds the context (MassTransit issue #1873).
    readonly SemaphoreSlim _inUse = new(1);

    public PostgresSagaRepositoryContext(DbContext dbContext, ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<DbContext, TSaga> factory, ILogger logger)
        : base(consumeContext, dbContext)
    {
        _dbContext = dbContext;
        _consumeContext = consumeContext;
        _factory = factory;
        _logger = logger;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Add);

    /// <summary>
    /// Inserts at once (saga "insert on initial"). Returns null when another consumer inserted the same
    /// CorrelationId first, so MassTransit loads that row instead.
    /// </summary>
    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        await _inUse.WaitAsync(CancellationToken).ConfigureAwait(false);
        try
        {
            // A failed INSERT aborts the whole PostgreSQL transaction (25P02); the savepoint keeps it usable.
            var transaction = _dbContext.Database.CurrentTransaction;
            if (transaction is not null)
                await transaction.CreateSavepointAsync(InsertSavepoint, CancellationToken).ConfigureAwait(false);

            var entry = _dbContext.Set<TSaga>().Add(instance);
            try
            {
                await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException exception) when (PostgresErrors.IsUniqueViolation(exception))
            {
                if (transaction is not null)
                    await transaction.RollbackToSavepointAsync(InsertSavepoint, CancellationToken).ConfigureAwait(false);

                entry.State = EntityState.Detached;
                _logger.InsertLostRace(typeof(TSaga).Name, instance.CorrelationId);

                return null!;
            }
        }
        finally
        {
            _inUse.Release();
        }

        return await _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Insert)
            .ConfigureAwait(false);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        TSaga? instance;
        await _inUse.WaitAsync(CancellationToken).ConfigureAwait(false);
        try
        {
            instance = await _dbContext.Set<TSaga>()
                .AsTracking()
                .SingleOrDefaultAsync(x => x.CorrelationId == correlationId, CancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            _inUse.Release();
        }

        if (instance is null)
            return null!;

        return await _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Load)
            .ConfigureAwait(false);
    }

    public Task Save(SagaConsumeContext<TSaga> context) =>
        Exclusively(() => _dbContext.Set<TSaga>().Add(context.Saga), context.CancellationToken);

    // The saga was loaded tracked, so saving sends only what changed, guarded by the concurrency token:
    // a row another consumer updated in between fails here with DbUpdateConcurrencyException.
    public Task Update(SagaConsumeContext<TSaga> context) =>
        Exclusively(() => { }, context.CancellationToken);

    public Task Delete(SagaConsumeContext<TSaga> context) =>
        Exclusively(() => _dbContext.Set<TSaga>().Remove(context.Saga), context.CancellationToken);

    // Nothing was written for a discarded instance: Add only creates the context, Save stores it.
    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public async Task Undo(SagaConsumeContext<TSaga> context)
    {
        await _inUse.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            var entry = _dbContext.ChangeTracker.Entries<TSaga>()
                .FirstOrDefault(x => x.Entity.CorrelationId == context.Saga.CorrelationId);

            if (entry is not null)
                await entry.ReloadAsync(context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _inUse.Release();
        }
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance,
        SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_dbContext, consumeContext, instance, mode);

    public void Dispose() => _inUse.Dispose();

    async Task Exclusively(Action change, CancellationToken cancellationToken)
    {
        await _inUse.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            change();
            await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _inUse.Release();
        }
    }
}
