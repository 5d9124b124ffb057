using SynchroMesh.HeadOfficeIngest.Apis;
using SynchroMesh.HeadOfficeIngest.Extensions;

return await ServiceHost.RunAsync(
    args,
    builder => builder.AddApplicationServices(),
    app =>
    {
        app.MapBranchProductsApi();
        app.MapBranchesApi();
        app.MapSalesReportApi();
    });

/// <summary>Entry point, visible to the integration tests.</summary>
public partial class Program;
