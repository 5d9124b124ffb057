using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SynchroMesh.ServiceDefaults.Health;
using SynchroMesh.ServiceDefaults.Http;

namespace SynchroMesh.ServiceDefaults.Extensions;

public static class ServiceDefaultsExtensions
{
    /// <summary>The ActivitySource and Meter name of our own spans and instruments.</summary>
    public const string TelemetryName = "SynchroMesh";

    /// <summary>OpenTelemetry, health checks and JSON problem responses, the same in every service.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        // Each service describes its HTTP API at /openapi/v1.json.
        builder.Services.AddOpenApi();
        builder.Services.AddExceptionHandler<BadRequestBodyHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        // Minimal APIs answer a bad body with a bare 400 unless asked to throw; the handler names the field.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: [ServiceHealth.Live]);

        var otel = builder.Services.AddOpenTelemetry()
            // OTEL_SERVICE_NAME (which the Aspire AppHost sets to each resource's name, "branch-north" say) names the
            // service when given; otherwise the application's name does.
            .ConfigureResource(r => r.AddService(
                builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } serviceName ? serviceName : builder.Environment.ApplicationName))
            .WithTracing(t => t
                .AddSource(TelemetryName, TelemetryName + ".*", "MassTransit")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments(ServiceHealth.PathPrefix))
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(TelemetryName, "MassTransit")
                .AddAspNetCoreInstrumentation());

        // Exporting is opt-in through the standard variable, so nothing needs configuring for local runs.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers and nothing registered as a liveness check asks for a restart (the
    /// supervisor's among them); <c>/health/ready</c>: its database and bus are usable.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Open to anyone, whatever a service's default policy: probes, and the API's description.
        app.MapHealthChecks(ServiceHealth.LivePath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ServiceHealth.Live) }).AllowAnonymous();
        app.MapHealthChecks(ServiceHealth.ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ServiceHealth.Ready) }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }
}
