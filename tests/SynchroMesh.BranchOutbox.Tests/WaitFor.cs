using System.Diagnostics;

namespace SynchroMesh.BranchOutbox.Tests;

/// <summary>Polls a condition until it holds or a deadline passes: the alternative to a bare delay.</summary>
public static class WaitFor
{
    public static async Task<bool> ConditionAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
        {
            if (elapsed.Elapsed > limit)
            {
                return false;
            }

            await poll.WaitForNextTickAsync();
        }

        return true;
    }
}
