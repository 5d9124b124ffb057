using MassTransit;
using RabbitMQ.Client;
using SynchroMesh.Contracts;

namespace SynchroMesh.ServiceDefaults.Messaging;

/// <summary>
/// Acks are published to one topic exchange with the branch id as routing key, and each branch binds its own
/// queue with its own id only: an ack reaches the branch that sent the product and no other. Topic, not direct,
/// because RabbitMQ checks binding keys against a user's topic permissions on topic exchanges only: a branch's
/// broker user may bind its own id and nothing else (<c>deploy/branch-access.sh</c>). A branch id holds no dot or
/// wildcard, so topic routing matches it exactly as direct routing would.
/// Both sides declare the exchanges the same way (<see cref="UseAckExchanges"/>), or RabbitMQ refuses the second
/// declaration. They have names of their own, not MassTransit's type-derived ones: the acks once went through direct
/// exchanges of those names, which a broker upgraded in place still holds, and RabbitMQ cannot change an exchange's type.
/// </summary>
public static class ProductAckRouting
{
    /// <summary>The topic exchange of <see cref="ProductsAcked"/> (batch acks), routing key the branch id.</summary>
    public const string BatchAckExchange = "synchromesh.products-acked";

    /// <summary>The topic exchange of <see cref="ProductAcked"/> (single-product acks), routing key the branch id.</summary>
    public const string SingleAckExchange = "synchromesh.product-acked";

    /// <summary>Both sides: the ack exchanges' names and type.</summary>
    public static void UseAckExchanges(this IRabbitMqBusFactoryConfigurator cfg)
    {
        cfg.Message<ProductsAcked>(m => m.SetEntityName(BatchAckExchange));
        cfg.Message<ProductAcked>(m => m.SetEntityName(SingleAckExchange));
        cfg.Publish<ProductsAcked>(p => p.ExchangeType = ExchangeType.Topic);
        cfg.Publish<ProductAcked>(p => p.ExchangeType = ExchangeType.Topic);
    }

    /// <summary>
    /// At the head office: route every published <see cref="ProductsAcked"/> (a batch's ack) and
    /// <see cref="ProductAcked"/> (a single product's) by its branch id.
    /// </summary>
    public static void RouteAcksByBranch(this IRabbitMqBusFactoryConfigurator cfg)
    {
        cfg.UseAckExchanges();
        cfg.Send<ProductsAcked>(s => s.UseRoutingKeyFormatter(c => c.Message.BranchId));
        cfg.Send<ProductAcked>(s => s.UseRoutingKeyFormatter(c => c.Message.BranchId));
    }

    /// <summary>
    /// At a branch: receive on this endpoint only the batch acks addressed to <paramref name="branchId"/> (the bus
    /// calls <see cref="UseAckExchanges"/>).
    /// </summary>
    public static void BindAcksOf(this IRabbitMqReceiveEndpointConfigurator endpoint, string branchId)
    {
        endpoint.Bind<ProductsAcked>(b =>
        {
            b.ExchangeType = ExchangeType.Topic;
            b.RoutingKey = branchId;
        });
    }
}
