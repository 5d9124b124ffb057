using SynchroMesh.BranchOutbox.Apis;

return await ServiceHost.RunAsync(
    args,
    builder => builder.AddApplicationServices(),
    app =>
    {
        app.MapProductsApi();
        app.MapSyncStatusApi();
    });

/// <summary>Entry point, visible to the integration tests.</summary>
public partial class Program;
