using SynchroMesh.HeadOfficeIngest.Apis;
using SynchroMesh.HeadOfficeIngest.Extensions;
using SynchroMesh.ServiceDefaults.Extensions;
using SynchroMesh.ServiceDefaults.Health;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapBranchProductsApi();
app.MapBranchesApi();
app.MapSalesReportApi();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the integration tests.</summary>
public partial class Program;
