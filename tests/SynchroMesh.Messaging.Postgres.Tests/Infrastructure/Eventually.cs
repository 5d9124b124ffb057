namespace SynchroMesh.Messaging.Postgres.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes; the tests' only way to wait.</summary>
public static class Eventually
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var timer = new PeriodicTimer(PollInterval);

        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting until {what}.");

            await timer.WaitForNextTickAsync();
        }
    }

    public static Task Until(Func<bool> condition, TimeSpan timeout, string what) =>
        Until(() => Task.FromResult(condition()), timeout, what);
}
