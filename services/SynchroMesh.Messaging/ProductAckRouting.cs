using SynchroMesh.Broker;
using SynchroMesh.Contracts;

namespace SynchroMesh.Messaging;

/// <summary>
/// Where the head office's acks go. A batch's <see cref="ProductsAcked"/> is sent to the branch's own acks exchange
/// (<see cref="BranchTopology.AckExchange"/>), which the branch declares and binds to its saga queue: an exchange no
/// other branch may read, bind from, declare or write (<see cref="BranchTopology.PermissionPattern"/>), so an ack
/// reaches the branch that sent the products and no other, and no branch can fake, divert or destroy another's acks. (A shared ack exchange cannot
/// give that: a branch needs to declare what it binds from, and the right to declare it is the right to delete it.)
/// A single product's <see cref="ProductAcked"/>, for other programs, is published to a topic exchange by branch id.
/// </summary>
public static class ProductAckRouting
{
    /// <summary>Where the head office sends <paramref name="branchId"/>'s batch acks.</summary>
    public static Uri AckAddress(string branchId) => new($"exchange:{new BranchTopology(branchId).AckExchange}");

    /// <summary>At the head office: publish every <see cref="ProductAcked"/> to its topic exchange, keyed by branch id.</summary>
    public static void RouteSingleAcksByBranch(this IRabbitMqBusFactoryConfigurator cfg)
    {
        cfg.Message<ProductAcked>(m => m.SetEntityName(HeadOfficeTopology.SingleAckExchange));
        cfg.Publish<ProductAcked>(p => p.ExchangeType = ExchangeType.Topic);
        cfg.Send<ProductAcked>(s => s.UseRoutingKeyFormatter(c => c.Message.BranchId));
    }

    /// <summary>At a branch: this endpoint's queue receives the branch's acks exchange.</summary>
    public static void BindAcksOf(this IRabbitMqReceiveEndpointConfigurator endpoint, BranchTopology branch) =>
        endpoint.Bind(branch.AckExchange);
}
