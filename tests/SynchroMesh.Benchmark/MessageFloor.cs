using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace SynchroMesh.Benchmark;

/// <summary>
/// The raw floor through RabbitMQ.Client and Npgsql alone, every step durable: persistent messages published with
/// confirms, consumed with manual acks, upserted into a head-office-shaped table in grouped statements, acked after
/// the commit. No MassTransit, no branch bookkeeping: what the machine can do at best with the same rows.
/// </summary>
public sealed class MessageFloor(string virtualHost, FloorDatabase database)
{
    private const int MaxRowsPerStatement = 1_000;
    private const int PublishWindow = 2_000;

    public async Task<double> RunAsync(IReadOnlyList<ProductSubmitted> rows, int rowsPerMessage, int consumers)
    {
        await database.TruncateAsync();
        var queue = $"floor-{rowsPerMessage}-{consumers}";
        var factory = new ConnectionFactory
        {
            HostName = TestServers.RabbitHost,
            Port = TestServers.RabbitPort,
            UserName = TestServers.RabbitUser,
            Password = TestServers.RabbitPassword,
            VirtualHost = virtualHost,
        };
        await using var publisherConnection = await factory.CreateConnectionAsync();
        await using var consumerConnection = await factory.CreateConnectionAsync();
        await using (var setup = await publisherConnection.CreateChannelAsync())
        {
            await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        }

        var stored = 0L;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumerTasks = new List<Task>();
        var channels = new List<IChannel>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < consumers; i++)
        {
            var channel = await consumerConnection.CreateChannelAsync();
            channels.Add(channel);
            consumerTasks.Add(ConsumeAsync(channel, queue, rowsPerMessage, count =>
            {
                if (Interlocked.Add(ref stored, count) >= rows.Count)
                {
                    done.TrySetResult();
                }
            }, done.Task));
        }

        await PublishAsync(publisherConnection, queue, rows, rowsPerMessage);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(30));
        var seconds = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(consumerTasks);
        foreach (var channel in channels)
        {
            await channel.DisposeAsync();
        }

        if (await database.CountAsync() != rows.Count)
        {
            throw new InvalidOperationException($"floor {queue}: {await database.CountAsync()} rows stored, expected {rows.Count}");
        }

        return rows.Count / seconds;
    }

    private static async Task PublishAsync(IConnection connection, string queue, IReadOnlyList<ProductSubmitted> rows, int rowsPerMessage)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/json" };
        using var window = new SemaphoreSlim(PublishWindow);
        var pending = new List<Task>();
        foreach (var chunk in rows.Chunk(rowsPerMessage))
        {
            await window.WaitAsync();
            var body = JsonSerializer.SerializeToUtf8Bytes(chunk);
            pending.Add(PublishOneAsync(channel, queue, properties, body, window));
        }

        await Task.WhenAll(pending);
    }

    private static async Task PublishOneAsync(IChannel channel, string queue, BasicProperties properties, byte[] body, SemaphoreSlim window)
    {
        try
        {
            // With confirmation tracking on, this completes when the broker has confirmed the message.
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body);
        }
        finally
        {
            window.Release();
        }
    }

    private async Task ConsumeAsync(IChannel channel, string queue, int rowsPerMessage, Action<int> onStored, Task allStored)
    {
        var inbox = Channel.CreateUnbounded<(ulong Tag, ProductSubmitted[] Rows)>(new UnboundedChannelOptions { SingleReader = true });
        await channel.BasicQosAsync(0, (ushort)Math.Max(10, Math.Min(5_000, 2 * MaxRowsPerStatement / rowsPerMessage)), false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var rows = JsonSerializer.Deserialize<ProductSubmitted[]>(delivery.Body.Span)!;
            await inbox.Writer.WriteAsync((delivery.DeliveryTag, rows));
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);

        var group = new List<ProductSubmitted>(MaxRowsPerStatement);
        while (!allStored.IsCompleted)
        {
            var read = inbox.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(read, allStored) != read)
            {
                break;
            }

            var (lastTag, first) = await read;
            group.AddRange(first);
            while (group.Count < MaxRowsPerStatement && inbox.Reader.TryRead(out var next))
            {
                group.AddRange(next.Rows);
                lastTag = next.Tag;
            }

            await database.UpsertAsync(group);
            await channel.BasicAckAsync(lastTag, multiple: true);
            onStored(group.Count);
            group.Clear();
        }
    }
}
