using MassTransit;
using Microsoft.Extensions.Options;
using SynchroMesh.ServiceDefaults.Messaging;

namespace SynchroMesh.BranchOutbox.StateMachines;

public sealed class ProductSyncStateDefinition : SagaDefinition<ProductSyncState>
{
    private readonly BranchOptions _branch;

    public ProductSyncStateDefinition(IOptions<BranchOptions> branch)
    {
        _branch = branch.Value;

        // One queue per branch: its sagas and only its acks, never competing with another branch.
        EndpointName = _branch.SyncQueue;
        ConcurrentMessageLimit = 16;
    }

    protected override void ConfigureSaga(
        IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<ProductSyncState> sagaConfigurator,
        IRegistrationContext context)
    {
        // Schedule and cancel commands leave only once the saga's transaction has committed.
        endpointConfigurator.UseInMemoryOutbox(context);

        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // ProductSent and timeouts are sent straight to this queue; acks are bound by branch id only.
            rabbit.ConfigureConsumeTopology = false;
            rabbit.BindAcksOf(_branch.Id);
        }
    }
}
