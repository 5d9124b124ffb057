using SynchroMesh.BranchOutbox.Supervision;
using SynchroMesh.Messaging.Postgres;
using SynchroMesh.ServiceDefaults.Extensions;

namespace SynchroMesh.BranchOutbox.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var connectionString = builder.Configuration.GetRequiredConnectionString("Branch");
        // The API wakes the outbox itself after each commit, so its sessions ask the triggers not to notify.
        services.AddPostgresDatabase<BranchDbContext>(connectionString, SyncLedger.WakesOutboxOptions);
        services.AddSingleton(TimeProvider.System);
        builder.AddBranchSecurity();

        services.AddValidatedOptions<BranchOptions>(BranchOptions.Section);
        services.AddValidatedOptions<SyncOptions>(SyncOptions.Section);

        services.AddScoped<SyncLedger>();
        services.AddScoped<IBatchLedger>(sp => sp.GetRequiredService<SyncLedger>());
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxPacing>();
        services.AddSingleton<BranchMetrics>();
        services.AddSingleton<OutboxProgress>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddHostedService<HeartbeatPublisher>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ProductChangeListener>(
            sp, ProductChangeListener.ConnectionStringFor(DatabaseExtensions.WithServiceDefaults(connectionString))));

        // The branch id names this branch's queues, so it is checked before anything is wired with it.
        var branch = builder.Configuration.GetValidated<BranchOptions>(BranchOptions.Section);
        services.AddBusDefaults();
        services.AddSupervision();
        services.AddSingleton<ISupervisedPart, OutboxPart>();
        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            x.AddEndpointDefaults();
            // A branch's broker user may not publish Fault<T> events (they would reach every subscriber of the
            // vhost); a failed message goes to this branch's own error queue with its reason, which is enough.
            x.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.PublishFaults = false);
            x.AddSagaStateMachine<ProductBatchStateMachine, ProductBatchState, ProductBatchStateDefinition>()
                .PostgresRepository<ProductBatchState, BranchDbContext>();
            x.AddPostgresQuartzScheduler(o =>
            {
                o.ConnectionString = connectionString;
                o.SchedulerName = branch.Id;
                o.QueueName = branch.Topology.SchedulerQueue;
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.ConnectToBroker(context);
                // Least privilege (docs/security.md, "Branch identity and least privilege"): every message says which broker
                // user sent it, and the bus's own queue is named for the branch, like all it declares.
                cfg.StampUserId(context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.Username);
                cfg.OverrideDefaultBusEndpointQueueName(branch.Topology.BusQueue);
                cfg.WaitForDatabase(context);
                cfg.UseSyncRetry();
                cfg.UsePostgresQuartzScheduler(context);
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
