namespace SynchroMesh.Messaging.Postgres.Tests.Infrastructure;

/// <summary>
/// How long a spec waits for the bus, a saga repository or the scheduler: long enough for a loaded build machine,
/// short enough that a spec which waits in vain fails within a minute.
/// </summary>
public static class SpecTimeout
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>For the specs that put many messages or timeouts through at once.</summary>
    public static readonly TimeSpan UnderLoad = TimeSpan.FromSeconds(60);
}
