using SynchroMesh.Broker;

namespace SynchroMesh.HeadOfficeIngest.Consumers;

public sealed class ProductSubmittedConsumerDefinition : ConsumerDefinition<ProductSubmittedConsumer>
{
    public ProductSubmittedConsumerDefinition()
    {
        // Every replica of the head office consumes this one queue; correctness rests on the unique key.
        EndpointName = HeadOfficeTopology.SingleProductQueue;
        ConcurrentMessageLimit = 16;
    }
}
