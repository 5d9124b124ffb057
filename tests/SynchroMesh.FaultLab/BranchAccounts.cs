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
}

/// <summary>
/// A bus logged in as a provisioned branch, stamping its user-id as a BranchOutbox does, for specs that speak to the
/// head office as a branch (or as a branch pretending to be another). Started by <see cref="StartAsync"/>, stopped when
/// disposed.
/// </summary>
public sealed class BranchBus : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly BranchTopology _branch;

    private BranchBus(IReadOnlyDictionary<string, string> settings)
    {
        _branch = new BranchTopology(settings["Branch__Id"]);
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(TestServers.RabbitHost, (ushort)TestServers.RabbitPort, settings["RabbitMq__VirtualHost"], h =>
            {
                h.Username(settings["RabbitMq__Username"]);
                h.Password(settings["RabbitMq__Password"]);
            });
            cfg.OverrideDefaultBusEndpointQueueName(_branch.BusQueue);
            cfg.StampUserId(settings["RabbitMq__Username"]);
        });
    }

    /// <summary>Starts a bus with the settings <see cref="BranchAccounts.ProvisionAsync"/> returned.</summary>
    public static async Task<BranchBus> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var bus = new BranchBus(settings);
        await bus._bus.StartAsync();
        return bus;
    }

    /// <summary>
    /// Sends a message to the head office as a BranchOutbox does: into the branch's own exchange (its submit exchange,
    /// or its heartbeat exchange for a heartbeat), which provisioning routed to the head office's queue.
    /// </summary>
    public async Task SubmitAsync<T>(T message, Action<SendContext<T>>? configure = null)
        where T : class
    {
        var exchange = message is BranchHeartbeat ? _branch.HeartbeatExchange : _branch.SubmitExchange;
        var endpoint = await _bus.GetSendEndpoint(new Uri($"exchange:{exchange}"));
        await endpoint.Send(message, context => configure?.Invoke(context));
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
