using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SynchroMesh.FaultLab;

/// <summary>The RabbitMQ management API: how tests cut a route on the real broker and clean up after themselves.</summary>
public static class RabbitManagement
{
    private static readonly HttpClient Client = CreateClient();

    /// <summary>Removes every binding from <paramref name="sourceExchange"/> with <paramref name="routingKey"/>; returns them.</summary>
    public static async Task<IReadOnlyList<Binding>> UnbindAsync(string virtualHost, string sourceExchange, string routingKey)
    {
        var bindings = (await BindingsFromAsync(virtualHost, sourceExchange)).Where(b => b.RoutingKey == routingKey).ToList();
        foreach (var binding in bindings)
        {
            var kind = binding.DestinationType == "queue" ? "q" : "e";
            using var response = await Client.DeleteAsync(
                $"bindings/{Escape(virtualHost)}/e/{Escape(binding.Source)}/{kind}/{Escape(binding.Destination)}/{Escape(binding.PropertiesKey)}");
            response.EnsureSuccessStatusCode();
        }

        return bindings;
    }

    /// <summary>Every binding whose source is <paramref name="sourceExchange"/>.</summary>
    public static async Task<IReadOnlyList<Binding>> BindingsFromAsync(string virtualHost, string sourceExchange) =>
        (await Client.GetFromJsonAsync<Binding[]>($"exchanges/{Escape(virtualHost)}/{Escape(sourceExchange)}/bindings/source"))!;

    /// <summary>Puts back bindings removed by <see cref="UnbindAsync"/>.</summary>
    public static async Task RebindAsync(string virtualHost, IEnumerable<Binding> bindings)
    {
        foreach (var binding in bindings)
        {
            var kind = binding.DestinationType == "queue" ? "q" : "e";
            using var response = await Client.PostAsJsonAsync(
                $"bindings/{Escape(virtualHost)}/e/{Escape(binding.Source)}/{kind}/{Escape(binding.Destination)}",
                new { routing_key = binding.RoutingKey });
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Creates a virtual host of its own for a test, with full permissions for the test user.</summary>
    public static async Task CreateVirtualHostAsync(string name)
    {
        using var created = await Client.PutAsync($"vhosts/{Escape(name)}", null);
        created.EnsureSuccessStatusCode();
        using var permitted = await Client.PutAsJsonAsync(
            $"permissions/{Escape(name)}/{Escape(TestServers.RabbitUser)}", new { configure = ".*", write = ".*", read = ".*" });
        permitted.EnsureSuccessStatusCode();
    }

    /// <summary>Gives a broker user another password (and these tags), as a rotation would.</summary>
    public static async Task SetPasswordAsync(string user, string password, string tags = "")
    {
        using var response = await Client.PutAsJsonAsync($"users/{Escape(user)}", new { password, tags });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A broker user with full permissions on one virtual host.</summary>
    public static async Task CreateUserAsync(string user, string password, string tags, string virtualHost)
    {
        await SetPasswordAsync(user, password, tags);
        using var permitted = await Client.PutAsJsonAsync(
            $"permissions/{Escape(virtualHost)}/{Escape(user)}", new { configure = ".*", write = ".*", read = ".*" });
        permitted.EnsureSuccessStatusCode();
    }

    public static async Task DeleteUserAsync(string user)
    {
        using var response = await Client.DeleteAsync($"users/{Escape(user)}");
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Closes every connection of a broker user, as a broker restart or a network fault would.</summary>
    public static async Task CloseConnectionsAsync(string user)
    {
        using var response = await Client.DeleteAsync($"connections/username/{Escape(user)}");
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public static async Task DeleteVirtualHostAsync(string name)
    {
        using var response = await Client.DeleteAsync($"vhosts/{Escape(name)}");
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>The type RabbitMQ reports for a queue: <c>classic</c>, <c>quorum</c> or <c>stream</c>.</summary>
    public static async Task<string> QueueTypeAsync(string virtualHost, string queue)
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync($"queues/{Escape(virtualHost)}/{Escape(queue)}"));
        return document.RootElement.GetProperty("type").GetString()!;
    }

    /// <summary>
    /// Puts raw bytes straight into a queue (through the default exchange), persistent, as a foreign or broken program
    /// would: no serializer in the way of a malformed body. <paramref name="userId"/> sets its user-id property (the
    /// test user is an impersonator).
    /// </summary>
    public static async Task PublishRawAsync(string virtualHost, string queue, string payload, string contentType, string? userId = null)
    {
        var properties = new Dictionary<string, object> { ["content_type"] = contentType, ["delivery_mode"] = 2 };
        if (userId is not null)
        {
            properties["user_id"] = userId;
        }

        using var response = await Client.PostAsJsonAsync($"exchanges/{Escape(virtualHost)}/amq.default/publish", new
        {
            properties,
            routing_key = queue,
            payload,
            payload_encoding = "string",
        });
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (!document.RootElement.GetProperty("routed").GetBoolean())
        {
            throw new InvalidOperationException($"the message to {queue} on {virtualHost} was not routed: is the queue declared?");
        }
    }

    /// <summary>Whether a queue is declared in the virtual host (a consumer's bus has come up far enough to bind it).</summary>
    public static async Task<bool> QueueExistsAsync(string virtualHost, string queue)
    {
        using var response = await Client.GetAsync($"queues/{Escape(virtualHost)}/{Escape(queue)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    /// <summary>How many messages a queue holds (0 when it does not exist).</summary>
    public static async Task<long> MessageCountAsync(string virtualHost, string queue)
    {
        using var response = await Client.GetAsync($"queues/{Escape(virtualHost)}/{Escape(queue)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.TryGetProperty("messages", out var count) ? count.GetInt64() : 0;
    }

    /// <summary>Takes up to <paramref name="count"/> messages off a queue (they are removed) with their headers.</summary>
    public static async Task<IReadOnlyList<JsonElement>> TakeMessagesAsync(string virtualHost, string queue, int count)
    {
        using var response = await Client.PostAsJsonAsync(
            $"queues/{Escape(virtualHost)}/{Escape(queue)}/get", new { count, ackmode = "ack_requeue_false", encoding = "auto" });
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray().Select(m => m.Clone()).ToList();
    }

    /// <summary>The open connections of a broker user, each as the management API details it (<c>ssl</c>, <c>vhost</c>…).</summary>
    public static async Task<IReadOnlyList<JsonElement>> ConnectionsAsync(string user)
    {
        using var list = JsonDocument.Parse(await Client.GetStringAsync($"connections/username/{Escape(user)}"));
        var connections = new List<JsonElement>();
        foreach (var name in list.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()!))
        {
            using var response = await Client.GetAsync($"connections/{Escape(name)}");
            if (response.IsSuccessStatusCode)
            {
                using var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                connections.Add(detail.RootElement.Clone());
            }
        }

        return connections;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static HttpClient CreateClient()
    {
        var client = new HttpClient
        {
            BaseAddress = new Uri($"http://{TestServers.RabbitHost}:{TestServers.RabbitManagementPort}/api/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestServers.RabbitUser}:{TestServers.RabbitPassword}")));
        return client;
    }

    public sealed record Binding(
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("destination")] string Destination,
        [property: JsonPropertyName("destination_type")] string DestinationType,
        [property: JsonPropertyName("routing_key")] string RoutingKey,
        [property: JsonPropertyName("properties_key")] string PropertiesKey);
}
