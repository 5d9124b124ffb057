using MassTransit;

namespace SynchroMesh.HeadOfficeIngest.Consumers;

public sealed class SalesReportConsumerDefinition : ConsumerDefinition<SalesReportConsumer>
{
    public const string QueueName = "head-office-sales-report";

    public SalesReportConsumerDefinition()
    {
        // Its own queue, bound to the ProductsStored exchange: every replica shares it, the version rule keeps it right.
        EndpointName = QueueName;
        ConcurrentMessageLimit = 2;
    }
}
