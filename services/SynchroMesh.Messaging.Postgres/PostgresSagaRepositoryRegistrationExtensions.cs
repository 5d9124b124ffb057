using MassTransit.Configuration;
using SynchroMesh.Messaging.Postgres.Sagas;

namespace SynchroMesh.Messaging.Postgres;

public static class PostgresSagaRepositoryRegistrationExtensions
{
    /// <summary>
    /// Stores <typeparamref name="TSaga" /> in PostgreSQL through the application's own
    /// <typeparamref name="TDbContext" /> (registered with <c>AddDbContext</c>, scoped), which must map the saga
    /// entity with a concurrency token (typically <c>uint RowVersion</c> on <c>xmin</c>, <c>IsRowVersion()</c>).
    /// </summary>
    /// <remarks>
    /// Each message runs in one ReadCommitted transaction on the scope's DbContext: load by CorrelationId,
    /// run the saga, save, commit. Activities that resolve <typeparamref name="TDbContext" /> from the consume
    /// context get the same instance, so their SQL commits or rolls back with the saga state. A concurrent
    /// update surfaces as <see cref="DbUpdateConcurrencyException" />, and two consumers creating the same
    /// instance as a unique violation on the losing one: configure <c>UseMessageRetry</c> on the saga endpoint
    /// so the loser runs again against the committed row.
    /// </remarks>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga, TDbContext>(
        this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
        where TDbContext : DbContext
    {
        configurator.Repository(services =>
        {
            // Load and query first: RegisterSagaRepository only fills the slots they leave empty.
            services.RegisterLoadSagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TSaga, TDbContext>>();
            services.RegisterQuerySagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TSaga, TDbContext>>();
            services.RegisterSagaRepository<TSaga, DbContext, SagaConsumeContextFactory<DbContext, TSaga>,
                PostgresSagaRepositoryContextFactory<TSaga, TDbContext>>();
        });

        return configurator;
    }
}
