using SynchroMesh.Broker;
using SynchroMesh.HeadOfficeIngest.Alerts;
using SynchroMesh.HeadOfficeIngest.Consumers;
using SynchroMesh.HeadOfficeIngest.Data;
using SynchroMesh.HeadOfficeIngest.DeadLetters;
using SynchroMesh.HeadOfficeIngest.Security;
using SynchroMesh.HeadOfficeIngest.Telemetry;
using SynchroMesh.Messaging.Supervision;
using SynchroMesh.ServiceDefaults.Data;
using SynchroMesh.ServiceDefaults.Extensions;

namespace SynchroMesh.HeadOfficeIngest.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddPostgresDatabase<HeadOfficeDbContext>(builder.Configuration.GetRequiredConnectionString("HeadOffice"));
        services.AddSingleton(TimeProvider.System);
        builder.AddHeadOfficeSecurity();
        services.AddValidatedOptions<ConsoleOptions>(ConsoleOptions.Section);
        services.AddHostedService<HeartbeatHistoryPruner>();
        services.AddValidatedOptions<DeadLetterOptions>(DeadLetterOptions.Section);
        services.AddSingleton<DeadLetterBox>();
        services.AddValidatedOptions<AlertOptions>(AlertOptions.Section);
        services.AddScoped<AlertMonitor>();
        services.AddHostedService<AlertWatcher>();
        services.AddScoped<IProductStore, ProductStore>();
        services.AddScoped<SalesReportStore>();
        services.AddScoped<BranchStatusReader>();
        services.AddSingleton<IngestMetrics>();

        services.AddBusDefaults();
        services.AddSupervision();
        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            x.AddEndpointDefaults();
            x.AddConsumeObserver<IngestFaultObserver>();
            // The queues branches write to: a message there may not choose where its fault or reply goes.
            x.AddConfigureEndpointsCallback((_, queue, endpoint) =>
            {
                if (queue is HeadOfficeTopology.BatchQueue or HeadOfficeTopology.SingleProductQueue
                    or HeadOfficeTopology.HeartbeatQueue)
                {
                    endpoint.RefuseRedirectedReplies();
                }
            });
            x.AddConsumer<ProductSubmittedConsumer, ProductSubmittedConsumerDefinition>();
            x.AddConsumer<ProductsSubmittedConsumer, ProductsSubmittedConsumerDefinition>();
            x.AddConsumer<BranchHeartbeatConsumer, BranchHeartbeatConsumerDefinition>();

            // Built on what the ingest stores, added without touching it: see docs/protocol.md, "Adding a consumer".
            x.AddConsumer<SalesReportConsumer, SalesReportConsumerDefinition>();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.ConnectToBroker(context);
                cfg.WaitForDatabase(context);
                cfg.UseSyncRetry();
                cfg.RouteSingleAcksByBranch();
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
