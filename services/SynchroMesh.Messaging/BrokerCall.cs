namespace SynchroMesh.Messaging;

/// <summary>Sending to the broker from a loop that must go on whatever the broker or the link does.</summary>
public static class BrokerCall
{
    /// <summary>
    /// Runs <paramref name="send"/> with a token cancelled after <paramref name="limit"/>, and stops waiting for it then
    /// even if it does not end: a call that RabbitMQ.Client 7.2.2 strands on a disposed channel (see
    /// <see cref="ChannelSemaphores"/>) ignores its token, and MassTransit's send path declares an endpoint's exchange
    /// before it watches the token, so without this bound one lost link could stop a sending loop for good.
    /// </summary>
    /// <exception cref="TimeoutException">The send did not end within <paramref name="limit"/>.</exception>
    public static async Task WithinAsync(TimeSpan limit, TimeProvider clock, Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        using var bounded = new CancellationTokenSource(limit, clock);
        using var stopping = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), bounded);
        var sending = send(bounded.Token);
        try
        {
            await sending.WaitAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever the abandoned send does later (a fault once its channel is gone) is observed, and dropped.
            _ = sending.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            throw new TimeoutException($"the broker did not take the message within {limit}");
        }
    }
}
