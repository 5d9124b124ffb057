using MassTransit;
using RabbitMQ.Client;
using SynchroMesh.Contracts;

namespace SynchroMesh.ServiceDefaults.Messaging;

/// <summary>
/// Where the head office's acks go. A batch's <see cref="ProductsAcked"/> is sent to the branch's own acks exchange,
/// <c>{branch id}-acks</c>, which the branch declares and binds to its saga queue: an exchange no other branch may
/// read, bind from, declare or write (<c>deploy/branch-access.sh</c>), so an ack reaches the branch that sent the
/// products and no other, and no branch can fake, divert or destroy another's acks. (A shared ack exchange cannot
/// give that: a branch needs to declare what it binds from, and the right to declare it is the right to delete it.)
/// A single product's <see cref="ProductAcked"/>, for other programs, is published to a topic exchange by branch id.
/// </summary>
public static class ProductAckRouting
{
    /// <summary>The topic exchange of <see cref="ProductAcked"/> (single-product acks), routing key the branch id.</summary>
    public const string SingleAckExchange = "synchromesh.product-acked";

    /// <summary>The exchange of a branch's batch acks, bound by the branch to its saga queue.</summary>
    public static string AckExchange(string branchId) => $"{branchId}-acks";

    /// <summary>Where the head office sends <paramref name="branchId"/>'s batch acks.</summary>
    public static Uri AckAddress(string branchId) => new($"exchange:{AckExchange(branchId)}");

    /// <summary>At the head office: publish every <see cref="ProductAcked"/> to its topic exchange, keyed by branch id.</summary>
    public static void RouteSingleAcksByBranch(this IRabbitMqBusFactoryConfigurator cfg)
    {
        cfg.Message<ProductAcked>(m => m.SetEntityName(SingleAckExchange));
        cfg.Publish<ProductAcked>(p => p.ExchangeType = ExchangeType.Topic);
        cfg.Send<ProductAcked>(s => s.UseRoutingKeyFormatter(c => c.Message.BranchId));
    }

    /// <summary>At a branch: this endpoint's queue receives the branch's acks exchange.</summary>
    public static void BindAcksOf(this IRabbitMqReceiveEndpointConfigurator endpoint, string branchId) =>
        endpoint.Bind(AckExchange(branchId));
}
