namespace SynchroMesh.ServiceDefaults.Health;

/// <summary>
/// <c>dotnet Service.dll health-probe [live|ready]</c>: asks the service running in this container for its health and
/// exits 0 when it answers 200, 1 otherwise. The runtime image has no curl or wget; the probe is the service's
/// own binary, so the image's HEALTHCHECK needs nothing else installed.
/// </summary>
public static class HealthProbe
{
    public const string Command = "health-probe";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Command;

    /// <summary>
    /// Probes <c>/health/live</c> (or <c>/health/ready</c>) on the first port of <c>ASPNETCORE_HTTP_PORTS</c>
    /// (8080, the .NET images' default, when unset); <c>SYNCHROMESH_HEALTH_URL</c> overrides the whole address.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var which = args.Length > 1 ? args[1] : ServiceHealth.Live;
        if (which is not (ServiceHealth.Live or ServiceHealth.Ready))
        {
            await Console.Error.WriteLineAsync($"{Command}: expected '{ServiceHealth.Live}' or '{ServiceHealth.Ready}', got '{which}'");
            return 2;
        }

        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(';', ',')[0].Trim();
        var url = Environment.GetEnvironmentVariable("SYNCHROMESH_HEALTH_URL") ?? $"http://127.0.0.1:{port}{ServiceHealth.PathPrefix}/{which}";
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await client.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await Console.Error.WriteLineAsync($"{Command}: {url} answered {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{Command}: {url}: {ex.Message}");
            return 1;
        }
    }
}
