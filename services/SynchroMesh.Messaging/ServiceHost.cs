using Microsoft.AspNetCore.Builder;
using SynchroMesh.Messaging.Supervision;

namespace SynchroMesh.Messaging;

/// <summary>The life of a SynchroMesh service process, the same for the branch and the head office.</summary>
public static class ServiceHost
{
    /// <summary>
    /// Answers a container's health probe (<see cref="HealthProbe"/>), or builds the service (the shared defaults, then
    /// <paramref name="addServices"/>), maps the health and supervision endpoints and <paramref name="mapEndpoints"/>, and
    /// runs it until it is stopped. Returns the process's exit code.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Action<WebApplicationBuilder> addServices, Action<WebApplication> mapEndpoints)
    {
        if (HealthProbe.IsRequested(args))
        {
            return await HealthProbe.RunAsync(args);
        }

        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        addServices(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapSupervision();
        mapEndpoints(app);

        await app.RunAsync();
        return 0;
    }
}
