using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using SynchroMesh.Broker;

namespace SynchroMesh.Benchmark;

/// <summary>
/// One process speaking for many branches at the broker, as each BranchOutbox would while online: its own user and
/// connection, its three queues (quorum or classic) with a consumer each, its acks bound to its saga queue, a heartbeat every
/// <see cref="HeartbeatInterval"/> and a small batch every <see cref="BatchInterval"/>, each stamped with its user-id.
/// What it does not simulate is the branch's own database: the head office and the broker see what they would see.
/// </summary>
public sealed class BranchFleet(SyncSystem system, int branches, bool quorumQueues, TextWriter log) : IAsyncDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan BatchInterval = TimeSpan.FromSeconds(10);
    public const int RowsPerBatch = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<SimulatedBranch> _branches = [];
    private long _acks;
    private long _batches;

    /// <summary>Messages the head office sent back to the fleet's queues (its acks).</summary>
    public long Acks => Interlocked.Read(ref _acks);

    /// <summary>Batches sent so far, each of <see cref="RowsPerBatch"/> new rows.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Provisions every branch's user and opens its connection, queues and consumers.</summary>
    public async Task ConnectAsync()
    {
        for (var i = 1; i <= branches; i++)
        {
            var name = $"f{i}";
            var access = await system.ProvisionBranchAsync(name);
            var topology = new BranchTopology(system.BranchId(name));
            var factory = new ConnectionFactory
            {
                HostName = system.Broker.Host,
                Port = system.Broker.AmqpPorts[i % system.Broker.AmqpPorts.Count],
                VirtualHost = system.VirtualHost,
                UserName = access["RabbitMq__Username"],
                Password = access["RabbitMq__Password"],
                ClientProvidedName = $"fleet {topology.BranchId}",
            };
            var connection = await factory.CreateConnectionAsync();
            var consuming = await connection.CreateChannelAsync();
            var publishing = await connection.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var arguments = quorumQueues ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null;
            foreach (var queue in new[] { topology.SagaQueue, topology.SchedulerQueue, topology.BusQueue })
            {
                await consuming.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments);
                var consumer = new AsyncEventingBasicConsumer(consuming);
                consumer.ReceivedAsync += async (_, delivery) =>
                {
                    Interlocked.Increment(ref _acks);
                    await consuming.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                };
                await consuming.BasicConsumeAsync(queue, autoAck: false, consumer);
            }

            await consuming.ExchangeDeclareAsync(topology.AckExchange, ExchangeType.Fanout, durable: true);
            await consuming.QueueBindAsync(topology.SagaQueue, topology.AckExchange, "");
            _branches.Add(new SimulatedBranch(topology, connection, consuming, publishing));
        }

        log.WriteLine($"fleet: {branches} branches connected");
    }

    /// <summary>Sends heartbeats and batches until <paramref name="stop"/>, each branch on its own rhythm.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var offset = HeartbeatInterval / Math.Max(branches, 1);
        await Task.WhenAll(_branches.Select((branch, i) => RunBranchAsync(branch, offset * i, stop)));
    }

    private async Task RunBranchAsync(SimulatedBranch branch, TimeSpan start, CancellationToken stop)
    {
        try
        {
            await Task.Delay(start, stop);
            var nextBatch = DateTimeOffset.UtcNow;
            var nextHeartbeat = DateTimeOffset.UtcNow;
            long externalId = 0;
            while (!stop.IsCancellationRequested)
            {
                var now = DateTimeOffset.UtcNow;
                if (now >= nextBatch)
                {
                    var rows = Enumerable.Range(0, RowsPerBatch).Select(_ => Row(branch.Topology.BranchId, ++externalId, now)).ToArray();
                    await PublishAsync(branch, branch.Topology.SubmitExchange, "ProductsSubmitted",
                        new ProductsSubmitted { BranchId = branch.Topology.BranchId, BatchId = Guid.NewGuid(), Products = rows });
                    Interlocked.Increment(ref _batches);
                    nextBatch = now + BatchInterval;
                }

                if (now >= nextHeartbeat)
                {
                    await PublishAsync(branch, branch.Topology.HeartbeatExchange, "BranchHeartbeat", new BranchHeartbeat
                    {
                        BranchId = branch.Topology.BranchId, At = now, Interval = HeartbeatInterval, NotSent = 0, WaitingForAck = 0,
                        NewestChangeAt = now,
                    });
                    nextHeartbeat = now + HeartbeatInterval;
                }

                var wake = nextBatch < nextHeartbeat ? nextBatch : nextHeartbeat;
                await Task.Delay(wake - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private static ProductSubmitted Row(string branchId, long externalId, DateTimeOffset at) => new()
    {
        BranchId = branchId, ExternalId = externalId, Version = 1, Date = DateOnly.FromDateTime(at.UtcDateTime), Product = "espresso",
        Region = "north", Qty = 1, Cost = 2.5m, Tax = 0.2f, CreatedAt = at, UpdatedAt = at,
    };

    /// <summary>A MassTransit envelope, as the branch's bus would send it, into one of the branch's own exchanges.</summary>
    private static async Task PublishAsync<T>(SimulatedBranch branch, string exchange, string type, T message)
    {
        var envelope = new Dictionary<string, object?>
        {
            ["messageId"] = Guid.NewGuid(),
            ["messageType"] = new[] { $"urn:message:SynchroMesh.Contracts:{type}" },
            ["sentTime"] = DateTimeOffset.UtcNow,
            ["message"] = message,
        };
        var properties = new BasicProperties
        {
            DeliveryMode = DeliveryModes.Persistent,
            ContentType = RawMessages.ContentType,
            UserId = branch.Topology.User,
        };
        await branch.Publishing.BasicPublishAsync(exchange, "", mandatory: false, properties, JsonSerializer.SerializeToUtf8Bytes(envelope, Json));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var branch in _branches)
        {
            await branch.Consuming.DisposeAsync();
            await branch.Publishing.DisposeAsync();
            await branch.Connection.DisposeAsync();
        }
    }

    private sealed record SimulatedBranch(BranchTopology Topology, IConnection Connection, IChannel Consuming, IChannel Publishing);
}
