namespace SynchroMesh.Demo;

/// <summary>
/// When a branch's link is up: a repeating cycle of so many seconds up, then so many down, starting at an offset.
/// </summary>
public sealed record LinkSchedule(string Description, TimeSpan Up, TimeSpan Down, TimeSpan Offset)
{
    /// <summary>The demo's three kinds of branch: well connected, flaky, and online a fifth of the time.</summary>
    public static LinkSchedule For(int branchIndex) => (branchIndex % 3) switch
    {
        0 => new("up, a short cut a minute", TimeSpan.FromSeconds(52), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(20)),
        1 => new("flaky: 20 s up, 10 s down", TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)),
        _ => new("online a fifth of the time: 6 s of 30", TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(24)),
    };

    public bool IsUpAt(TimeSpan elapsed)
    {
        var cycle = Up + Down;
        return TimeSpan.FromTicks((elapsed + Offset).Ticks % cycle.Ticks) < Up;
    }
}
