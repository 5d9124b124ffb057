using MassTransit;
using SynchroMesh.Broker;
using SynchroMesh.Contracts;
using SynchroMesh.Messaging;

namespace SynchroMesh.FaultLab;

/// <summary>
/// A branch's own broker user, given and taken away by the admin tool's code (<see cref="BranchAccess"/>): every
/// branch the lab starts runs with the rights operators grant, so each spec checks they are enough.
/// </summary>
public static class BranchAccounts
{
    /// <summary>
    /// Creates the branch's user in <paramref name="virtualHost"/> (of the broker <paramref name="management"/> speaks for,
    /// the single node by default); returns its settings, as environment variables.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> ProvisionAsync(string branchId, string virtualHost, RabbitManagementClient? management = null)
    {
        var credentials = await new BranchAccess(management ?? TestServers.Management).ProvisionAsync(new BranchTopology(branchId), virtualHost);
        return credentials.Settings(TestServers.RabbitHost, TestServers.RabbitPort).ToDictionary();
    }

    /// <summary>Deletes the branch's user and closes its connections.</summary>
    public static Task RevokeAsync(string branchId, string virtualHost, RabbitManagementClient? management = null) =>
        new BranchAccess(management ?? TestServers.Management).RevokeAsync(new BranchTopology(branchId), virtualHost, deleteQueues: false);

    /// <summary>A bus logged in as a provisioned branch, stamping its user-id as a BranchOutbox does.</summary>
    public static IBusControl CreateBranchBus(IReadOnlyDictionary<string, string> settings) =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(TestServers.RabbitHost, (ushort)TestServers.RabbitPort, settings["RabbitMq__VirtualHost"], h =>
            {
                h.Username(settings["RabbitMq__Username"]);
                h.Password(settings["RabbitMq__Password"]);
            });
            cfg.OverrideDefaultBusEndpointQueueName(new BranchTopology(settings["Branch__Id"]).BusQueue);
            cfg.StampUserId(settings["RabbitMq__Username"]);
        });

    /// <summary>
    /// Sends a message to the head office as a BranchOutbox does: into the branch's own exchange (its submit exchange,
    /// or its heartbeat exchange for a heartbeat), which provisioning routed to the head office's queue.
    /// </summary>
    public static async Task SubmitAsync<T>(IBus bus, IReadOnlyDictionary<string, string> settings, T message, Action<SendContext<T>>? configure = null)
        where T : class
    {
        var branch = new BranchTopology(settings["Branch__Id"]);
        var exchange = message is BranchHeartbeat ? branch.HeartbeatExchange : branch.SubmitExchange;
        var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{exchange}"));
        await endpoint.Send(message, context => configure?.Invoke(context));
    }
}
