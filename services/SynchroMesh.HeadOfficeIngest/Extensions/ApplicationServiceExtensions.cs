using SynchroMesh.HeadOfficeIngest.Alerts;
using SynchroMesh.HeadOfficeIngest.Consumers;
using SynchroMesh.Messaging.Supervision;

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
            // A batch is up to a thousand rows: a few at a time keep the database busy without queueing on it.
            x.AddConsumer<ProductsSubmittedConsumer>().Endpoint(e => ReceiveFromOutside(e, HeadOfficeTopology.BatchQueue, 4));
            x.AddConsumer<ProductSubmittedConsumer>().Endpoint(e => ReceiveFromOutside(e, HeadOfficeTopology.SingleProductQueue, 16));
            x.AddConsumer<BranchHeartbeatConsumer>().Endpoint(e => ReceiveFromOutside(e, HeadOfficeTopology.HeartbeatQueue, 2));

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

    /// <summary>
    /// A queue that branches and other programs write to. Every replica of the head office consumes it (correctness
    /// rests on the unique key), and a message there may not choose where its fault or reply goes.
    /// </summary>
    private static void ReceiveFromOutside(IEndpointRegistrationConfigurator endpoint, string queue, int concurrentMessages)
    {
        endpoint.Name = queue;
        endpoint.ConcurrentMessageLimit = concurrentMessages;
        endpoint.AddConfigureEndpointCallback(receive => receive.RefuseRedirectedReplies());
    }
}
