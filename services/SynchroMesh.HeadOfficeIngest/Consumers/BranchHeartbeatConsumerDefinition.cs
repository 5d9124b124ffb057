using MassTransit;

namespace SynchroMesh.HeadOfficeIngest.Consumers;

public sealed class BranchHeartbeatConsumerDefinition : ConsumerDefinition<BranchHeartbeatConsumer>
{
    public const string QueueName = "head-office-branch-heartbeats";

    public BranchHeartbeatConsumerDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 2;
    }
}
