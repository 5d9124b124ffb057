using SynchroMesh.HeadOfficeIngest.Alerts;

namespace SynchroMesh.HeadOfficeIngest.Apis;

/// <summary>What fires now, each alert with its figure and the configured threshold it crossed.</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/alerts", (AlertMonitor monitor, CancellationToken cancellationToken) => monitor.EvaluateAsync(cancellationToken))
            .RequireAuthorization(HeadOfficeSecurity.ReaderPolicy)
            .WithTags("Alerts")
            .WithName("ListAlerts")
            .WithSummary("The alerts that fire now (branch offline, lag, backlog, dead messages, certificates), with the network's totals.");
        return app;
    }
}
