using SynchroMesh.Broker;

namespace SynchroMesh.HeadOfficeIngest.Consumers;

public sealed class ProductsSubmittedConsumerDefinition : ConsumerDefinition<ProductsSubmittedConsumer>
{
    public ProductsSubmittedConsumerDefinition()
    {
        // Every replica of the head office consumes this one queue; correctness rests on the unique key. Each
        // message is up to a thousand rows, so a few at a time keep the database busy without queueing on it.
        EndpointName = HeadOfficeTopology.BatchQueue;
        ConcurrentMessageLimit = 4;
    }
}
