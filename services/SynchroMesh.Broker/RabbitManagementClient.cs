using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SynchroMesh.Broker;

/// <summary>
/// The RabbitMQ management HTTP API, typed: what the admin tool needs to give and take a branch's access, and what the
/// fault lab needs to cut routes, look into queues and clean up. Every failure names the call and the broker's answer.
/// </summary>
public sealed class RabbitManagementClient : IDisposable
{
    /// <summary>The management API of a broker on this machine, on RabbitMQ's default port.</summary>
    public const string LocalUrl = "http://127.0.0.1:15672";

    private readonly HttpClient _http;
    private readonly string _user;

    /// <param name="managementUrl">The API's root, e.g. <see cref="LocalUrl"/> (<c>/api/</c> is added).</param>
    public RabbitManagementClient(Uri managementUrl, string user, string password, HttpMessageHandler? handler = null)
    {
        if (!managementUrl.IsAbsoluteUri || (managementUrl.Scheme != Uri.UriSchemeHttp && managementUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"the management URL '{managementUrl}' is not an http or https URL", nameof(managementUrl));
        }

        ManagementUrl = managementUrl;
        _user = user;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = new Uri(managementUrl.AbsoluteUri.TrimEnd('/') + "/api/");
        _http.Timeout = TimeSpan.FromSeconds(30);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    public Uri ManagementUrl { get; }

    // ---- users and permissions ----

    /// <summary>Every user of the broker.</summary>
    public async Task<IReadOnlyList<BrokerUser>> UsersAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<BrokerUser[]>("users", cancellationToken) ?? [];

    public async Task<bool> UserExistsAsync(string user, CancellationToken cancellationToken = default) =>
        await GetAsync<BrokerUser>($"users/{Escape(user)}", cancellationToken, notFoundIsEmpty: true) is not null;

    /// <summary>Creates the user, or gives an existing one this password and these tags.</summary>
    public Task PutUserAsync(string user, string password, string tags = "", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"users/{Escape(user)}", new { password, tags }, cancellationToken);

    /// <summary>Deletes the user; true when it existed. Its open connections stay open (<see cref="CloseConnectionsAsync"/>).</summary>
    public Task<bool> DeleteUserAsync(string user, CancellationToken cancellationToken = default) =>
        DeleteAsync($"users/{Escape(user)}", cancellationToken);

    /// <summary>The user's configure, write and read permissions in each virtual host it has any.</summary>
    public async Task<IReadOnlyList<BrokerPermissions>> PermissionsOfAsync(string user, CancellationToken cancellationToken = default) =>
        await GetAsync<BrokerPermissions[]>($"users/{Escape(user)}/permissions", cancellationToken, notFoundIsEmpty: true) ?? [];

    public Task SetPermissionsAsync(string virtualHost, string user, string configure, string write, string read, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"permissions/{Escape(virtualHost)}/{Escape(user)}", new { configure, write, read }, cancellationToken);

    /// <summary>Removes every topic permission of the user in the virtual host.</summary>
    public Task DeleteTopicPermissionsAsync(string virtualHost, string user, CancellationToken cancellationToken = default) =>
        DeleteAsync($"topic-permissions/{Escape(virtualHost)}/{Escape(user)}", cancellationToken);

    /// <summary>A user with full permissions on one virtual host.</summary>
    public async Task CreateUserAsync(string user, string password, string tags, string virtualHost, CancellationToken cancellationToken = default)
    {
        await PutUserAsync(user, password, tags, cancellationToken);
        await SetPermissionsAsync(virtualHost, user, ".*", ".*", ".*", cancellationToken);
    }

    // ---- virtual hosts ----

    /// <summary>Creates a virtual host, with full permissions in it for the user this client logs in as.</summary>
    public async Task CreateVirtualHostAsync(string name, CancellationToken cancellationToken = default)
    {
        await SendAsync(HttpMethod.Put, $"vhosts/{Escape(name)}", null, cancellationToken);
        await SetPermissionsAsync(name, _user, ".*", ".*", ".*", cancellationToken);
    }

    /// <summary>The names of the broker's virtual hosts.</summary>
    public async Task<IReadOnlyList<string>> VirtualHostsAsync(CancellationToken cancellationToken = default) =>
        [.. (await GetAsync<BrokerVirtualHost[]>("vhosts", cancellationToken) ?? []).Select(v => v.Name)];

    public Task<bool> DeleteVirtualHostAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteAsync($"vhosts/{Escape(name)}", cancellationToken);

    // ---- exchanges and bindings ----

    /// <summary>Declares a durable exchange as MassTransit declares its own, so whichever side comes first, the other's declaration matches.</summary>
    public Task DeclareExchangeAsync(string virtualHost, string exchange, string type = "fanout", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"exchanges/{Escape(virtualHost)}/{Escape(exchange)}", new { type, durable = true }, cancellationToken);

    public Task<bool> DeleteExchangeAsync(string virtualHost, string exchange, CancellationToken cancellationToken = default) =>
        DeleteAsync($"exchanges/{Escape(virtualHost)}/{Escape(exchange)}", cancellationToken);

    /// <summary>Binds one exchange to another (a duplicate binding is no error).</summary>
    public Task BindExchangeAsync(string virtualHost, string from, string to, string routingKey = "", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"bindings/{Escape(virtualHost)}/e/{Escape(from)}/e/{Escape(to)}", new { routing_key = routingKey }, cancellationToken);

    /// <summary>Every binding whose source is the exchange; empty when the exchange does not exist.</summary>
    public async Task<IReadOnlyList<BrokerBinding>> BindingsFromAsync(string virtualHost, string exchange, CancellationToken cancellationToken = default) =>
        await GetAsync<BrokerBinding[]>($"exchanges/{Escape(virtualHost)}/{Escape(exchange)}/bindings/source", cancellationToken, notFoundIsEmpty: true) ?? [];

    /// <summary>Removes every binding from the exchange with this routing key; returns them, for <see cref="RebindAsync"/>.</summary>
    public async Task<IReadOnlyList<BrokerBinding>> UnbindAsync(string virtualHost, string exchange, string routingKey, CancellationToken cancellationToken = default)
    {
        var bindings = (await BindingsFromAsync(virtualHost, exchange, cancellationToken)).Where(b => b.RoutingKey == routingKey).ToList();
        foreach (var binding in bindings)
        {
            await DeleteAsync(
                $"bindings/{Escape(virtualHost)}/e/{Escape(binding.Source)}/{binding.DestinationKind}/{Escape(binding.Destination)}/{Escape(binding.PropertiesKey)}",
                cancellationToken);
        }

        return bindings;
    }

    /// <summary>Puts back bindings removed by <see cref="UnbindAsync"/>.</summary>
    public async Task RebindAsync(string virtualHost, IEnumerable<BrokerBinding> bindings, CancellationToken cancellationToken = default)
    {
        foreach (var binding in bindings)
        {
            await SendAsync(HttpMethod.Post,
                $"bindings/{Escape(virtualHost)}/e/{Escape(binding.Source)}/{binding.DestinationKind}/{Escape(binding.Destination)}",
                new { routing_key = binding.RoutingKey }, cancellationToken);
        }
    }

    /// <summary>
    /// Puts a body straight into a queue (through the default exchange), persistent, as a foreign or broken program
    /// would: no serializer in the way of a malformed body. <paramref name="userId"/> sets its user-id property, which
    /// the broker accepts only from an impersonator.
    /// </summary>
    public async Task PublishRawAsync(string virtualHost, string queue, string payload, string contentType, string? userId = null, CancellationToken cancellationToken = default)
    {
        var properties = new Dictionary<string, object> { ["content_type"] = contentType, ["delivery_mode"] = 2 };
        if (userId is not null)
        {
            properties["user_id"] = userId;
        }

        using var answer = await SendForJsonAsync(HttpMethod.Post, $"exchanges/{Escape(virtualHost)}/amq.default/publish",
            new { properties, routing_key = queue, payload, payload_encoding = "string" }, cancellationToken);
        if (!answer.RootElement.GetProperty("routed").GetBoolean())
        {
            throw new BrokerManagementException($"the message to {queue} on {virtualHost} was not routed: is the queue declared?", null);
        }
    }

    // ---- nodes ----

    /// <summary>The broker's overview (<c>object_totals</c>: connections, channels, queues, consumers…).</summary>
    public async Task<JsonElement> OverviewAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<JsonElement>("overview", cancellationToken);

    /// <summary>The cluster's nodes as the API lists them (<c>name</c>, <c>running</c>, <c>partitions</c>…).</summary>
    public async Task<IReadOnlyList<JsonElement>> NodesAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<JsonElement[]>("nodes", cancellationToken) ?? [];

    // ---- queues ----

    /// <summary>The queue as the API details it (<c>type</c>, <c>messages</c>, <c>consumers</c>…), or null when it does not exist.</summary>
    public async Task<JsonElement?> QueueAsync(string virtualHost, string queue, CancellationToken cancellationToken = default)
    {
        var path = $"queues/{Escape(virtualHost)}/{Escape(queue)}";
        using var response = await CallAsync(() => _http.GetAsync(path, cancellationToken), HttpMethod.Get, path);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.Clone();
    }

    /// <summary>Every queue of a virtual host as the API lists them (<c>name</c>, <c>type</c>, a quorum queue's <c>leader</c> and <c>members</c>…).</summary>
    public async Task<IReadOnlyList<JsonElement>> QueuesAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        await GetAsync<JsonElement[]>($"queues/{Escape(virtualHost)}", cancellationToken, notFoundIsEmpty: true) ?? [];

    public async Task<bool> QueueExistsAsync(string virtualHost, string queue, CancellationToken cancellationToken = default) =>
        await QueueAsync(virtualHost, queue, cancellationToken) is not null;

    /// <summary>The type RabbitMQ reports for a queue: <c>classic</c>, <c>quorum</c> or <c>stream</c>.</summary>
    public async Task<string> QueueTypeAsync(string virtualHost, string queue, CancellationToken cancellationToken = default) =>
        (await QueueAsync(virtualHost, queue, cancellationToken))?.GetProperty("type").GetString()
        ?? throw new BrokerManagementException($"the queue {queue} does not exist in {virtualHost}", HttpStatusCode.NotFound);

    /// <summary>How many messages a queue holds (0 when it does not exist).</summary>
    public async Task<long> MessageCountAsync(string virtualHost, string queue, CancellationToken cancellationToken = default) =>
        await QueueAsync(virtualHost, queue, cancellationToken) is { } detail && detail.TryGetProperty("messages", out var count) ? count.GetInt64() : 0;

    public Task<bool> DeleteQueueAsync(string virtualHost, string queue, CancellationToken cancellationToken = default) =>
        DeleteAsync($"queues/{Escape(virtualHost)}/{Escape(queue)}", cancellationToken);

    /// <summary>Takes up to <paramref name="count"/> messages off a queue (they are removed), with their properties.</summary>
    public async Task<IReadOnlyList<JsonElement>> TakeMessagesAsync(string virtualHost, string queue, int count, CancellationToken cancellationToken = default)
    {
        var path = $"queues/{Escape(virtualHost)}/{Escape(queue)}/get";
        using var response = await CallAsync(
            () => _http.SendAsync(Request(HttpMethod.Post, path, new { count, ackmode = "ack_requeue_false", encoding = "auto" }), cancellationToken),
            HttpMethod.Post, path);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        await EnsureSuccessAsync(response, cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return [.. document.RootElement.EnumerateArray().Select(m => m.Clone())];
    }

    // ---- connections ----

    /// <summary>The names of the user's open connections.</summary>
    public async Task<IReadOnlyList<string>> ConnectionNamesAsync(string user, CancellationToken cancellationToken = default) =>
        [.. (await GetAsync<BrokerConnection[]>($"connections/username/{Escape(user)}", cancellationToken, notFoundIsEmpty: true) ?? []).Select(c => c.Name)];

    /// <summary>The user's open connections, each as the API details it (<c>ssl</c>, <c>vhost</c>…).</summary>
    public async Task<IReadOnlyList<JsonElement>> ConnectionsAsync(string user, CancellationToken cancellationToken = default)
    {
        var connections = new List<JsonElement>();
        foreach (var name in await ConnectionNamesAsync(user, cancellationToken))
        {
            var path = $"connections/{Escape(name)}";
            using var response = await CallAsync(() => _http.GetAsync(path, cancellationToken), HttpMethod.Get, path);
            if (response.IsSuccessStatusCode)
            {
                using var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                connections.Add(detail.RootElement.Clone());
            }
        }

        return connections;
    }

    /// <summary>
    /// Closes every open connection of the user (deleting a user leaves them open). For an existing user the broker's
    /// own connection tracking closes them all at once, one opened a moment ago included; that call fails for a user
    /// that no longer exists, whose connections are then closed one by one from the management statistics (which may
    /// lag a connection by a few seconds).
    /// </summary>
    public async Task CloseConnectionsAsync(string user, CancellationToken cancellationToken = default)
    {
        if (await UserExistsAsync(user, cancellationToken))
        {
            await DeleteAsync($"connections/username/{Escape(user)}", cancellationToken);
            return;
        }

        foreach (var name in await ConnectionNamesAsync(user, cancellationToken))
        {
            await DeleteAsync($"connections/{Escape(name)}", cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    // ---- plumbing ----

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken, bool notFoundIsEmpty = false)
    {
        using var response = await CallAsync(() => _http.GetAsync(path, cancellationToken), HttpMethod.Get, path);
        if (notFoundIsEmpty && response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
    }

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(() => _http.SendAsync(Request(method, path, body), cancellationToken), method, path);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private async Task<JsonDocument> SendForJsonAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(() => _http.SendAsync(Request(method, path, body), cancellationToken), method, path);
        await EnsureSuccessAsync(response, cancellationToken);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Deletes; true when it existed, false when the broker answers 404.</summary>
    private async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(() => _http.DeleteAsync(path, cancellationToken), HttpMethod.Delete, path);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, object? body) =>
        new(method, path) { Content = body is null ? null : JsonContent.Create(body) };

    private async Task<HttpResponseMessage> CallAsync(Func<Task<HttpResponseMessage>> call, HttpMethod method, string path)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException e)
        {
            throw new BrokerManagementException($"cannot reach the RabbitMQ management API at {ManagementUrl} ({method} /api/{path}): {e.Message}", null, e);
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new BrokerManagementException($"the RabbitMQ management API at {ManagementUrl} did not answer {method} /api/{path} in {_http.Timeout.TotalSeconds:0} s", null, e);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var request = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}";
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new BrokerManagementException(
                $"{ManagementUrl} refused the administrator '{_user}': wrong user or password, or the user lacks the administrator tag", response.StatusCode),
            _ => new BrokerManagementException(
                $"{request} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}", response.StatusCode),
        };
    }
}

/// <summary>A management API call that failed; <see cref="Status"/> is null when the broker was not reached.</summary>
public sealed class BrokerManagementException(string message, HttpStatusCode? status, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}

public sealed record BrokerUser(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("tags")] JsonElement Tags);

public sealed record BrokerPermissions(
    [property: JsonPropertyName("vhost")] string VirtualHost,
    [property: JsonPropertyName("configure")] string Configure,
    [property: JsonPropertyName("write")] string Write,
    [property: JsonPropertyName("read")] string Read);

public sealed record BrokerBinding(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("destination")] string Destination,
    [property: JsonPropertyName("destination_type")] string DestinationType,
    [property: JsonPropertyName("routing_key")] string RoutingKey,
    [property: JsonPropertyName("properties_key")] string PropertiesKey)
{
    /// <summary>The API's path segment for the destination: <c>q</c> for a queue, <c>e</c> for an exchange.</summary>
    [JsonIgnore]
    public string DestinationKind => DestinationType == "queue" ? "q" : "e";
}

public sealed record BrokerVirtualHost([property: JsonPropertyName("name")] string Name);

public sealed record BrokerConnection([property: JsonPropertyName("name")] string Name);
