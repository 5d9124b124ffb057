namespace SynchroMesh.ServiceDefaults;

/// <summary>
/// The wait before the next attempt of a background loop that failed: doubling from a first wait up to
/// <see cref="Longest"/>. The cap is the same for every loop of our services (the scheduler's adapter, a library of
/// its own, has its own): once the cause is gone (the database or the broker back), each of them resumes within that
/// long.
/// </summary>
public static class Backoff
{
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(15);

    /// <summary>The wait after <paramref name="previous"/> (zero after a success).</summary>
    public static TimeSpan Next(TimeSpan previous, TimeSpan first) =>
        previous == TimeSpan.Zero ? first : TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, Longest.Ticks));
}
