namespace SynchroMesh.ServiceDefaults.Health;

/// <summary>
/// The two questions a service's health answers, each the tag of the checks that answer it and the path that asks it.
/// Live: the process should go on running (a failing check asks whoever runs it for a restart). Ready: its database and
/// bus are usable, so work may be sent to it.
/// </summary>
public static class ServiceHealth
{
    public const string Live = "live";
    public const string Ready = "ready";

    /// <summary>Where the service's health endpoints live; their requests are left out of the traces.</summary>
    public const string PathPrefix = "/health";

    public const string LivePath = PathPrefix + "/" + Live;
    public const string ReadyPath = PathPrefix + "/" + Ready;
}
