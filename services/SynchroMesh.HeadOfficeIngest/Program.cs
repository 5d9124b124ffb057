using SynchroMesh.HeadOfficeIngest.Apis;
using SynchroMesh.HeadOfficeIngest.Console;
using SynchroMesh.HeadOfficeIngest.Extensions;

return await ServiceHost.RunAsync(
    args,
    builder => builder.AddApplicationServices(),
    app =>
    {
        // After authentication (added by the host): the sign-in form's rate limit, and the antiforgery token that the
        // console's forms and actions carry.
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapBranchProductsApi();
        app.MapBranchesApi();
        app.MapSalesReportApi();
        app.MapDeadMessagesApi();
        app.MapAlertsApi();
        app.MapSignIn();
        app.MapConsole();
    });

/// <summary>Entry point, visible to the integration tests.</summary>
public partial class Program;
