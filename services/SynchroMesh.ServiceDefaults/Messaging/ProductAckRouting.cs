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
/// Both sides declare the exchange the same way, or RabbitMQ refuses the second declaration.
/// </summary>
public static class ProductAckRouting
{
    /// <summary>
    /// At the head office: route every published <see cref="ProductsAcked"/> (a batch's ack) and
    /// <see cref="ProductAcked"/> (a single product's) by its branch id.
    /// </summary>
    public static void RouteAcksByBranch(this IRabbitMqBusFactoryConfigurator cfg)
    {
        cfg.Publish<ProductsAcked>(p => p.ExchangeType = ExchangeType.Topic);
        cfg.Send<ProductsAcked>(s => s.UseRoutingKeyFormatter(c => c.Message.BranchId));
        cfg.Publish<ProductAcked>(p => p.ExchangeType = ExchangeType.Topic);
        cfg.Send<ProductAcked>(s => s.UseRoutingKeyFormatter(c => c.Message.BranchId));
    }

    /// <summary>At a branch: receive on this endpoint only the batch acks addressed to <paramref name="branchId"/>.</summary>
    public static void BindAcksOf(this IRabbitMqReceiveEndpointConfigurator endpoint, string branchId)
    {
        endpoint.Bind<ProductsAcked>(b =>
        {
            b.ExchangeType = ExchangeType.Topic;
            b.RoutingKey = branchId;
        });
    }
}
