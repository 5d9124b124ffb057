using SynchroMesh.BranchOutbox.Apis;
using SynchroMesh.BranchOutbox.Extensions;
using SynchroMesh.ServiceDefaults.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapProductsApi();
app.MapSyncStatusApi();

app.Run();

/// <summary>Entry point, visible to the integration tests.</summary>
public partial class Program;
