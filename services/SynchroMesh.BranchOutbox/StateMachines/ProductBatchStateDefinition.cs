namespace SynchroMesh.BranchOutbox.StateMachines;

public sealed class ProductBatchStateDefinition : SagaDefinition<ProductBatchState>
{
    private readonly BranchOptions _branch;

    public ProductBatchStateDefinition(IOptions<BranchOptions> branch)
    {
        _branch = branch.Value;

        // One queue per branch: its batches and only its acks, never competing with another branch.
        EndpointName = _branch.Topology.SagaQueue;
        ConcurrentMessageLimit = 16;
    }

    protected override void ConfigureSaga(
        IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<ProductBatchState> sagaConfigurator,
        IRegistrationContext context)
    {
        // Schedule and cancel commands leave only once the saga's transaction has committed.
        endpointConfigurator.UseInMemoryOutbox(context);

        // One batch's messages one at a time, in the queue's order: its "sent" event, which the outbox puts in this
        // queue before the batch leaves for the head office, is consumed before its ack, never beside it.
        var batches = endpointConfigurator.CreatePartitioner(ConcurrentMessageLimit ?? 16);
        sagaConfigurator.Message<ProductBatchSent>(m => m.UsePartitioner(batches, c => c.Message.BatchId));
        sagaConfigurator.Message<ProductsAcked>(m => m.UsePartitioner(batches, c => c.Message.BatchId));
        sagaConfigurator.Message<ProductBatchAckTimedOut>(m => m.UsePartitioner(batches, c => c.Message.BatchId));

        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // "Sent" events and timeouts are sent straight to this queue; acks are bound by branch id only.
            rabbit.ConfigureConsumeTopology = false;
            rabbit.BindAcksOf(_branch.Topology);
        }
    }
}
