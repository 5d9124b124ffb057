using SynchroMesh.HeadOfficeIngest.Apis;
using SynchroMesh.HeadOfficeIngest.Extensions;
using SynchroMesh.ServiceDefaults.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapBranchProductsApi();
app.MapBranchesApi();
app.MapSalesReportApi();

app.Run();

/// <summary>Entry point, visible to the integration tests.</summary>
public partial class Program;
