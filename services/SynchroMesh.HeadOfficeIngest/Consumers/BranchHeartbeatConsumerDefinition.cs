using SynchroMesh.Broker;

namespace SynchroMesh.HeadOfficeIngest.Consumers;

public sealed class BranchHeartbeatConsumerDefinition : ConsumerDefinition<BranchHeartbeatConsumer>
{
    public BranchHeartbeatConsumerDefinition()
    {
        EndpointName = HeadOfficeTopology.HeartbeatQueue;
        ConcurrentMessageLimit = 2;
    }
}
