using System.Diagnostics;

namespace SynchroMesh.FaultLab;

/// <summary>Polls a condition until it holds or a deadline passes: what tests use instead of sleeping.</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var elapsed = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(interval ?? TimeSpan.FromMilliseconds(200));
        while (!await condition())
        {
            if (elapsed.Elapsed > timeout)
            {
                return false;
            }

            await poll.WaitForNextTickAsync();
        }

        return true;
    }
}
