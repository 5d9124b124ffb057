using MassTransit;

namespace SynchroMesh.HeadOfficeIngest.Consumers;

public sealed class ProductsSubmittedConsumerDefinition : ConsumerDefinition<ProductsSubmittedConsumer>
{
    public const string QueueName = "head-office-products-submitted";

    public ProductsSubmittedConsumerDefinition()
    {
        // Every replica of the head office consumes this one queue; correctness rests on the unique key. Each
        // message is up to a thousand rows, so a few at a time keep the database busy without queueing on it.
        EndpointName = QueueName;
        ConcurrentMessageLimit = 4;
    }
}
