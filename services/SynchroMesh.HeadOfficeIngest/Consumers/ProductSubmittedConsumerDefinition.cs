using MassTransit;

namespace SynchroMesh.HeadOfficeIngest.Consumers;

public sealed class ProductSubmittedConsumerDefinition : ConsumerDefinition<ProductSubmittedConsumer>
{
    public const string QueueName = "head-office-product-submitted";

    public ProductSubmittedConsumerDefinition()
    {
        // Every replica of the head office consumes this one queue; correctness rests on the unique key.
        EndpointName = QueueName;
        ConcurrentMessageLimit = 16;
    }
}
