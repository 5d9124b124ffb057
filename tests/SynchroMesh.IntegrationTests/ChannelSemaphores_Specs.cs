using System.Reflection;
using SynchroMesh.Messaging;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// A channel disposed while a call is queued on it behind another one still holding it, as when a link drops while
/// MassTransit declares an endpoint's topology (see <see cref="ChannelSemaphores"/>).
/// </summary>
public sealed class When_a_channel_is_disposed_with_a_call_queued_on_it : IAsyncLifetime
{
    private static readonly TimeSpan ContinuationTimeout = TimeSpan.FromSeconds(2);
    private readonly string _virtualHost = $"sm-it-sem-{Guid.NewGuid():N}"[..20];
    private IConnection? _connection;

    public Task InitializeAsync() => TestServers.Management.CreateVirtualHostAsync(_virtualHost);

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await TestServers.Management.DeleteVirtualHostAsync(_virtualHost);
    }

    [Fact]
    public async Task Should_fail_the_queued_call_when_the_channel_is_protected()
    {
        var queued = await QueueACallThenDisposeTheChannelAsync(protect: true);

        // Cancelled by its continuation timeout; a TimeoutException here would be the deadline of the spec.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(ContinuationTimeout * 10));
    }

    /// <summary>
    /// Why the workaround exists, shown on the client in use: this fails once an upgraded RabbitMQ.Client no longer
    /// strands the call, and the workaround can go.
    /// </summary>
    [Fact]
    public async Task Should_leave_the_queued_call_waiting_forever_without_protection_in_this_client()
    {
        Assert.True(ChannelSemaphores.IsNeeded, "this RabbitMQ.Client lacks the semaphores ChannelSemaphores replaces");
        var queued = await QueueACallThenDisposeTheChannelAsync(protect: false);

        // Far past the client's continuation timeout, which cancels the wait of a call that was not stranded.
        await Assert.ThrowsAsync<TimeoutException>(() => queued.WaitAsync(ContinuationTimeout * 4));
    }

    private async Task<Task> QueueACallThenDisposeTheChannelAsync(bool protect)
    {
        var factory = new ConnectionFactory
        {
            HostName = TestServers.RabbitHost,
            Port = TestServers.RabbitPort,
            VirtualHost = _virtualHost,
            UserName = TestServers.RabbitUser,
            Password = TestServers.RabbitPassword,
            AutomaticRecoveryEnabled = false,
            ContinuationTimeout = ContinuationTimeout,
        };
        _connection = await factory.CreateConnectionAsync();
        var channel = await _connection.CreateChannelAsync();
        Assert.Equal(protect, protect && ChannelSemaphores.Protect(channel));

        // The test takes the channel's RPC semaphore as a call in flight would; the declaration then queues behind it.
        var rpc = (SemaphoreSlim)channel.GetType().GetField("_rpcSemaphore", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(channel)!;
        await rpc.WaitAsync();
        var queued = channel.ExchangeDeclareAsync("queued", ExchangeType.Fanout);
        Assert.False(queued.IsCompleted, "the declaration did not queue");

        // The link drops (the connection goes, and the channel with it), then the channel is disposed, as MassTransit does.
        await _connection.AbortAsync();
        Assert.False(channel.IsOpen);
        await channel.DisposeAsync();
        return queued;
    }
}
