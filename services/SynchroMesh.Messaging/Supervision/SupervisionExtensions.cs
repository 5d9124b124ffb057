using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SynchroMesh.Messaging.Supervision;

public static class SupervisionExtensions
{
    /// <summary>
    /// The <see cref="ServiceSupervisor"/> with the bus's receive endpoints as its first part; a service adds its own
    /// parts as <see cref="ISupervisedPart"/> singletons.
    /// </summary>
    public static IServiceCollection AddSupervision(this IServiceCollection services)
    {
        services.AddValidatedOptions<SupervisionOptions>(SupervisionOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SupervisionState>();
        services.AddSingleton<SupervisionMetrics>();
        services.AddSingleton<IBrokerProbe, TcpBrokerProbe>();
        services.AddSingleton<EndpointRestarter>();
        services.AddSingleton<BusRestarter>();
        services.AddSingleton<ISupervisedPart, ReceiveEndpointsPart>();
        services.AddHostedService<ServiceSupervisor>();
        services.AddHealthChecks().AddCheck<SupervisionHealthCheck>("supervision", tags: [ServiceHealth.Live]);
        return services;
    }

    /// <summary><c>GET /health/supervision</c>: what the supervisor did, and whether it asks for a restart.</summary>
    public static IEndpointRouteBuilder MapSupervision(this IEndpointRouteBuilder app)
    {
        app.MapGet(ServiceHealth.PathPrefix + "/supervision", (SupervisionState state) => TypedResults.Ok(state.Report()))
            .AllowAnonymous()
            .WithTags("Health")
            .WithName("GetSupervision")
            .WithSummary("What the supervisor did to keep the service working, and whether it asks for a restart.");
        return app;
    }
}
