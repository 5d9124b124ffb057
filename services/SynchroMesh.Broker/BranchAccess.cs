using System.Security.Cryptography;

namespace SynchroMesh.Broker;

/// <summary>
/// Gives a branch its own broker user, allowed exactly what a BranchOutbox does (<see cref="BranchTopology"/>), or takes
/// it away; lists the branches that have one. Run with an administrator's rights at the head office's broker.
/// </summary>
public sealed class BranchAccess(RabbitManagementClient broker)
{
    /// <summary>
    /// Creates the branch's user with <paramref name="password"/> (a new random one when null), grants it its own queues
    /// and exchanges and nothing else, and makes the routes from its exchanges into the head office's. For a user that
    /// exists already it refuses, unless a password is given or <paramref name="replacePassword"/>: then the user gets
    /// that password (or a new one) and its rights and routes are applied again.
    /// </summary>
    public async Task<BranchCredentials> ProvisionAsync(
        BranchTopology branch, string virtualHost, string? password = null, bool replacePassword = false, CancellationToken cancellationToken = default)
    {
        if (password is null && !replacePassword && await ExistsAsync(branch, cancellationToken))
        {
            throw new BranchAccessException(
                $"{branch.User} exists already: rotate its password (the branch must then get the new one), or give the password it has");
        }

        return await GrantAsync(branch, virtualHost, password ?? NewPassword(), cancellationToken);
    }

    /// <summary>
    /// Gives an existing branch user a new password (<paramref name="password"/>, or a random one) and applies its rights
    /// and routes again. Connections open with the old password stay open until they close; the branch needs the new
    /// password before it next connects.
    /// </summary>
    public async Task<BranchCredentials> RotateAsync(
        BranchTopology branch, string virtualHost, string? password = null, CancellationToken cancellationToken = default)
    {
        if (!await ExistsAsync(branch, cancellationToken))
        {
            throw new BranchAccessException($"{branch.User} does not exist: provision the branch first");
        }

        return await GrantAsync(branch, virtualHost, password ?? NewPassword(), cancellationToken);
    }

    /// <summary>
    /// Deletes the branch's user and closes its open connections, so the branch stops at once; with
    /// <paramref name="deleteQueues"/>, also its queues and exchanges in <paramref name="virtualHost"/> (the messages in
    /// them are lost). Returns whether the user existed.
    /// </summary>
    public async Task<bool> RevokeAsync(BranchTopology branch, string virtualHost, bool deleteQueues, CancellationToken cancellationToken = default)
    {
        var existed = await broker.UserExistsAsync(branch.User, cancellationToken);
        if (existed)
        {
            // Locked out first, so that none of its connections can come back between the close and the delete.
            await broker.PutUserAsync(branch.User, NewPassword(), tags: "", cancellationToken);
        }

        await broker.CloseConnectionsAsync(branch.User, cancellationToken);
        await broker.DeleteUserAsync(branch.User, cancellationToken);
        if (deleteQueues)
        {
            foreach (var queue in branch.Queues)
            {
                await broker.DeleteQueueAsync(virtualHost, queue, cancellationToken);
            }

            foreach (var exchange in branch.Exchanges)
            {
                await broker.DeleteExchangeAsync(virtualHost, exchange, cancellationToken);
            }
        }

        return existed;
    }

    /// <summary>Every branch user of the broker, with whether its rights and routes are as provisioned and its open connections.</summary>
    public async Task<IReadOnlyList<BranchAccessState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var states = new List<BranchAccessState>();
        foreach (var branch in (await broker.UsersAsync(cancellationToken)).Select(u => BranchTopology.OfUser(u.Name)).OfType<BranchTopology>().OrderBy(b => b.BranchId, StringComparer.Ordinal))
        {
            var permissions = await broker.PermissionsOfAsync(branch.User, cancellationToken);
            var virtualHosts = new List<BranchVirtualHost>();
            foreach (var granted in permissions.OrderBy(p => p.VirtualHost, StringComparer.Ordinal))
            {
                var expected = branch.PermissionPattern;
                var rightsAsProvisioned = granted.Configure == expected && granted.Write == expected && granted.Read == expected;
                var missingRoutes = new List<BrokerRoute>();
                foreach (var route in branch.Routes)
                {
                    var bindings = await broker.BindingsFromAsync(granted.VirtualHost, route.From, cancellationToken);
                    if (!bindings.Any(b => b.Destination == route.To && b.DestinationType == "exchange"))
                    {
                        missingRoutes.Add(route);
                    }
                }

                virtualHosts.Add(new BranchVirtualHost(granted.VirtualHost, rightsAsProvisioned, missingRoutes));
            }

            var connections = await broker.ConnectionNamesAsync(branch.User, cancellationToken);
            states.Add(new BranchAccessState(branch, virtualHosts, connections.Count));
        }

        return states;
    }

    private Task<bool> ExistsAsync(BranchTopology branch, CancellationToken cancellationToken) =>
        broker.UserExistsAsync(branch.User, cancellationToken);

    private async Task<BranchCredentials> GrantAsync(BranchTopology branch, string virtualHost, string password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(virtualHost))
        {
            throw new BranchAccessException("the virtual host must not be empty");
        }

        if (password.Length == 0)
        {
            throw new BranchAccessException("the password must not be empty");
        }

        await broker.PutUserAsync(branch.User, password, tags: "", cancellationToken);
        var own = branch.PermissionPattern;
        await broker.SetPermissionsAsync(virtualHost, branch.User, own, own, own, cancellationToken);
        // A branch needs no topic permission (its acks come through its own exchange); any left on the user goes.
        await broker.DeleteTopicPermissionsAsync(virtualHost, branch.User, cancellationToken);

        // The routes, made with the administrator's rights: the branch cannot bind its exchanges to the head office's.
        foreach (var route in branch.Routes)
        {
            await broker.DeclareExchangeAsync(virtualHost, route.From, cancellationToken: cancellationToken);
            await broker.DeclareExchangeAsync(virtualHost, route.To, cancellationToken: cancellationToken);
            await broker.BindExchangeAsync(virtualHost, route.From, route.To, cancellationToken: cancellationToken);
        }

        return new BranchCredentials(branch, virtualHost, password);
    }

    /// <summary>32 letters and digits from a cryptographic source (about 190 bits).</summary>
    private static string NewPassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);
}

/// <summary>What a branch needs to log in: its user, in its virtual host, with its password.</summary>
public sealed record BranchCredentials(BranchTopology Branch, string VirtualHost, string Password)
{
    /// <summary>The branch's settings as environment variables, given the broker's address as the branch reaches it.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings(string amqpHost, int amqpPort) =>
    [
        new("Branch__Id", Branch.BranchId),
        new("RabbitMq__Host", amqpHost),
        new("RabbitMq__Port", amqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("RabbitMq__VirtualHost", VirtualHost),
        new("RabbitMq__Username", Branch.User),
        new("RabbitMq__Password", Password),
    ];

    public override string ToString() => $"{Branch.User} on {VirtualHost}";
}

/// <summary>One branch user: the virtual hosts it may use, and how many connections it has open.</summary>
public sealed record BranchAccessState(BranchTopology Branch, IReadOnlyList<BranchVirtualHost> VirtualHosts, int OpenConnections);

/// <summary>A branch's rights in one virtual host: whether they are exactly the provisioned ones, and which routes are missing.</summary>
public sealed record BranchVirtualHost(string Name, bool RightsAsProvisioned, IReadOnlyList<BrokerRoute> MissingRoutes);

/// <summary>A request the broker's state does not allow (the user exists already, or does not).</summary>
public sealed class BranchAccessException(string message) : Exception(message);
