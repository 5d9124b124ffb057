using MassTransit;
using Microsoft.Extensions.Options;
using SynchroMesh.BranchOutbox.Data;
using SynchroMesh.BranchOutbox.Outbox;
using SynchroMesh.BranchOutbox.StateMachines;
using SynchroMesh.Messaging.Postgres;
using SynchroMesh.ServiceDefaults.Data;
using SynchroMesh.ServiceDefaults.Messaging;

namespace SynchroMesh.BranchOutbox.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var connectionString = builder.Configuration.GetConnectionString("Branch");
        services.AddPostgresDatabase<BranchDbContext>(connectionString, "ConnectionStrings:Branch");
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<BranchOptions>().BindConfiguration(BranchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddScoped<IProductSyncLedger, ProductSyncLedger>();
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxDispatcher>();

        var branchId = builder.Configuration[$"{BranchOptions.Section}:Id"] ?? "";
        services.AddBusDefaults();
        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            x.AddSagaStateMachine<ProductSyncStateMachine, ProductSyncState, ProductSyncStateDefinition>()
                .PostgresRepository<ProductSyncState, BranchDbContext>();
            x.AddPostgresQuartzScheduler(o =>
            {
                o.ConnectionString = DatabaseExtensions.ValidateConnectionString(connectionString, "ConnectionStrings:Branch");
                o.SchedulerName = branchId;
                o.QueueName = $"{branchId}-scheduler";
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                var branch = context.GetRequiredService<IOptions<BranchOptions>>().Value;
                cfg.ConnectToBroker(context);
                cfg.UseSyncRetry();
                cfg.UseMessageScheduler(new Uri($"queue:{branch.SchedulerQueue}"));
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
