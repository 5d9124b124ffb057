namespace SynchroMesh.ServiceDefaults;

/// <summary>The wait before the next attempt of a background loop that failed: doubling from a first wait up to a cap.</summary>
public static class Backoff
{
    /// <summary>The wait after <paramref name="previous"/> (zero after a success).</summary>
    public static TimeSpan Next(TimeSpan previous, TimeSpan first, TimeSpan max) =>
        previous == TimeSpan.Zero ? first : TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, max.Ticks));
}
