namespace SynchroMesh.BranchOutbox.Tests;

public sealed class When_a_send_to_the_broker_never_ends
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_stop_waiting_at_the_limit_even_when_the_send_ignores_its_token()
    {
        var clock = new FakeTimeProvider();
        var stranded = new TaskCompletionSource();
        CancellationToken given = default;

        var call = BrokerCall.WithinAsync(Limit, clock, token =>
        {
            given = token;
            return stranded.Task;
        }, CancellationToken.None);

        clock.Advance(Limit - TimeSpan.FromSeconds(1));
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains("00:00:30", timeout.Message);
        Assert.True(given.IsCancellationRequested, "the send's own token was not cancelled at the limit");
    }

    [Fact]
    public async Task Should_end_with_the_send_when_it_ends_in_time()
    {
        var clock = new FakeTimeProvider();
        await BrokerCall.WithinAsync(Limit, clock, _ => Task.CompletedTask, CancellationToken.None);

        var failing = BrokerCall.WithinAsync(Limit, clock, _ => Task.FromException(new InvalidOperationException("refused")), CancellationToken.None);
        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
    }

    [Fact]
    public async Task Should_give_up_as_cancelled_when_the_caller_stops()
    {
        using var stopping = new CancellationTokenSource();
        var call = BrokerCall.WithinAsync(Limit, new FakeTimeProvider(), _ => new TaskCompletionSource().Task, stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }
}
