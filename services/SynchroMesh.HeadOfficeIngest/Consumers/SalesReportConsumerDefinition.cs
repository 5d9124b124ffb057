namespace SynchroMesh.HeadOfficeIngest.Consumers;

public sealed class SalesReportConsumerDefinition : ConsumerDefinition<SalesReportConsumer>
{
    /// <summary>Up to this many events in one statement.</summary>
    public const int EventsPerBatch = 50;

    /// <summary>How long a batch waits for more events once it has one: how far the report may follow behind.</summary>
    public static readonly TimeSpan BatchTimeLimit = TimeSpan.FromMilliseconds(500);

    public SalesReportConsumerDefinition()
    {
        // Its own queue, bound to the ProductsStored exchange: every replica shares it, the version rule keeps it right.
        EndpointName = HeadOfficeTopology.SalesReportQueue;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SalesReportConsumer> consumerConfigurator, IRegistrationContext context)
    {
        consumerConfigurator.Options<BatchOptions>(options => options
            .SetMessageLimit(EventsPerBatch)
            .SetTimeLimit(BatchTimeLimit)
            .SetConcurrencyLimit(1));
    }
}
