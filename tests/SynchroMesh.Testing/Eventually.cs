using System.Diagnostics;

namespace SynchroMesh.Testing;

/// <summary>
/// Polls a condition until it holds or a deadline passes: what tests do instead of sleeping. <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, Func{Task{string}}?, TimeSpan?)"/>
/// fails naming what it waited for; <see cref="HoldsWithinAsync"/> answers whether it came, for the waits whose outcome is
/// itself the answer (something that must not happen, or what to do next).
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; after <paramref name="timeout"/> throws a <see cref="TimeoutException"/>
    /// naming <paramref name="what"/> and, when given, the <paramref name="state"/> found at the end.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what,
        Func<Task<string>>? state = null, TimeSpan? interval = null)
    {
        if (!await HoldsWithinAsync(condition, timeout, interval))
        {
            var found = state is null ? "" : $"; found: {await state()}";
            throw new TimeoutException($"waited {timeout.TotalSeconds:0.#} s until {what}, in vain{found}");
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, Func{Task{string}}?, TimeSpan?)"/>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what,
        Func<string>? state = null, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, state is null ? null : () => Task.FromResult(state()), interval);

    /// <summary>Waits until <paramref name="read"/> gives a value (not null) and returns it; fails as <c>UntilAsync</c> does.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> read, TimeSpan timeout, string what, TimeSpan? interval = null)
        where T : class
    {
        T? value = null;
        await UntilAsync(async () => (value = await read()) is not null, timeout, what, interval: interval);
        return value!;
    }

    /// <summary>Whether <paramref name="condition"/> comes to hold within <paramref name="timeout"/>.</summary>
    public static async Task<bool> HoldsWithinAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var elapsed = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(interval ?? DefaultInterval);
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

    /// <inheritdoc cref="HoldsWithinAsync(Func{Task{bool}}, TimeSpan, TimeSpan?)"/>
    public static Task<bool> HoldsWithinAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null) =>
        HoldsWithinAsync(() => Task.FromResult(condition()), timeout, interval);
}
