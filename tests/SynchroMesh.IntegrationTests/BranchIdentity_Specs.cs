using System.Text;
using System.Text.Json;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace SynchroMesh.IntegrationTests;

/// <summary>A branch's broker user as the admin tool makes it, spoken to without MassTransit in the way.</summary>
internal static class BranchBroker
{
    public static Task<IConnection> ConnectAsync(IReadOnlyDictionary<string, string> access) =>
        new ConnectionFactory
        {
            HostName = TestServers.RabbitHost,
            Port = TestServers.RabbitPort,
            VirtualHost = access["RabbitMq__VirtualHost"],
            UserName = access["RabbitMq__Username"],
            Password = access["RabbitMq__Password"],
            AutomaticRecoveryEnabled = false,
        }.CreateConnectionAsync();

    /// <summary>Runs one broker operation on a fresh channel; returns the AMQP reply code it was refused with, or null.</summary>
    public static async Task<int?> RefusalAsync(IConnection connection, Func<IChannel, Task> operation)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await operation(channel);
        }
        catch (OperationInterruptedException ex)
        {
            return ex.ShutdownReason?.ReplyCode;
        }

        // Publishing is asynchronous: a refused publish closes the channel a moment later.
        await Eventually.HoldsWithinAsync(() => Task.FromResult(channel.IsClosed), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50));
        return channel.IsClosed ? channel.CloseReason?.ReplyCode : null;
    }
}

/// <summary>The reason MassTransit gave for a message in an error queue, found by a text its body holds.</summary>
internal static class ErrorQueue
{
    public static async Task<string> ReasonAsync(SyncSystem system, string errorQueue, string marker) =>
        (await ReasonsAsync(system, errorQueue, marker))[marker];

    /// <summary>Takes messages off the error queue until one holding each marker was seen (taken messages are gone).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReasonsAsync(SyncSystem system, string errorQueue, params string[] markers)
    {
        var reasons = new Dictionary<string, string>();
        await Eventually.UntilAsync(async () =>
        {
            foreach (var message in await TestServers.Management.TakeMessagesAsync(system.VirtualHost, errorQueue, 20))
            {
                foreach (var marker in markers.Where(m => message.GetProperty("payload").GetString()!.Contains(m, StringComparison.Ordinal)))
                {
                    reasons[marker] = message.GetProperty("properties").GetProperty("headers").GetProperty("MT-Fault-Message").GetString()!;
                }
            }

            return reasons.Count == markers.Length;
        }, TimeSpan.FromSeconds(60), $"{string.Join(", ", markers)} are all in {errorQueue}", () => Task.FromResult(system.HeadOffice.Process.RecentLog));
        return reasons;
    }
}

public sealed class When_a_branch_publishes_as_another_branch
{
    private const string BatchErrorQueue = "head-office-products-submitted_error";
    private const string HeartbeatErrorQueue = "head-office-branch-heartbeats_error";

    [Fact]
    public async Task Should_be_refused_to_the_error_queue_and_store_nothing_for_the_other_branch()
    {
        await using var system = await SyncSystem.StartAsync([]);
        var mallory = await system.ProvisionBranchAsync("mallory");
        var victimId = system.BranchId("victim");
        await system.ProvisionBranchAsync("victim");
        var forgedBatch = Guid.NewGuid();

        await using (var bus = await BranchBus.StartAsync(mallory))
        {
            await bus.SubmitAsync(new ProductsSubmitted
            {
                BranchId = victimId,
                BatchId = forgedBatch,
                Products = [ProductMessages.Submitted(victimId, externalId: 1)],
            });
            await bus.SubmitAsync(new BranchHeartbeat
            {
                BranchId = victimId, At = DateTimeOffset.UtcNow, Interval = TimeSpan.FromSeconds(15), NotSent = 0, WaitingForAck = 0,
            });

            // Its own rows still go through: the head office refused the message, not the branch.
            await bus.SubmitAsync(new ProductsSubmitted
            {
                BranchId = system.BranchId("mallory"),
                BatchId = Guid.NewGuid(),
                Products = [ProductMessages.Submitted(system.BranchId("mallory"), externalId: 7)],
            });
            await Eventually.UntilAsync(
                async () => await system.HeadOffice.GetAsync(system.BranchId("mallory"), 7) is not null, TimeSpan.FromSeconds(60), "the head office stores mallory's own row", () => Task.FromResult(system.HeadOffice.Process.RecentLog));
        }

        var batchReason = await ErrorQueue.ReasonAsync(system, BatchErrorQueue, forgedBatch.ToString());
        Assert.Contains($"names branch '{victimId}' but was published by the broker user '{mallory["RabbitMq__Username"]}'", batchReason);
        var heartbeatReason = await ErrorQueue.ReasonAsync(system, HeartbeatErrorQueue, victimId);
        Assert.Contains("was published by the broker user", heartbeatReason);

        Assert.Empty(await system.HeadOffice.ListAsync(victimId));
        Assert.DoesNotContain(await system.HeadOffice.BranchesAsync(), b => b.BranchId == victimId);
    }

    [Fact]
    public async Task Should_be_refused_by_the_broker_when_it_writes_the_other_branchs_user_into_the_message()
    {
        await using var system = await SyncSystem.StartAsync([]);
        var mallory = await system.ProvisionBranchAsync("mallory");
        var victimId = system.BranchId("victim");
        await using var connection = await BranchBroker.ConnectAsync(mallory);

        var batchId = Guid.NewGuid();
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            messageId = Guid.NewGuid(),
            messageType = new[] { "urn:message:SynchroMesh.Contracts:ProductsSubmitted" },
            message = new { branchId = victimId, batchId, products = new[] { ProductMessages.Submitted(victimId, 1) } },
        }, JsonSerializerOptions.Web));

        // 406 PRECONDITION_FAILED: RabbitMQ checks user-id against the login.
        var forged = new BasicProperties { UserId = new BranchTopology(victimId).User, ContentType = RawMessages.ContentType, Persistent = true };
        Assert.Equal(406, await BranchBroker.RefusalAsync(connection, async channel =>
            await channel.BasicPublishAsync($"{mallory["Branch__Id"]}-submit", "", false, forged, body)));

        // Leaving user-id out gets past the broker, not past the head office.
        var unsigned = new BasicProperties { ContentType = RawMessages.ContentType, Persistent = true };
        Assert.Null(await BranchBroker.RefusalAsync(connection, async channel =>
            await channel.BasicPublishAsync($"{mallory["Branch__Id"]}-submit", "", false, unsigned, body)));
        Assert.Contains($"names branch '{victimId}' but carries no user-id", await ErrorQueue.ReasonAsync(system, BatchErrorQueue, batchId.ToString()));
        Assert.Empty(await system.HeadOffice.ListAsync(victimId));
    }
}

public sealed class When_a_branch_asks_the_head_office_to_reply_elsewhere
{
    [Fact]
    public async Task Should_refuse_the_message_and_send_nothing_there()
    {
        await using var system = await SyncSystem.StartAsync([]);
        var mallory = await system.ProvisionBranchAsync("mallory");
        var malloryId = system.BranchId("mallory");
        var faultTarget = $"spy-fault-{malloryId}";
        var responseTarget = $"spy-response-{malloryId}";
        var invalid = Guid.NewGuid();
        var valid = Guid.NewGuid();

        await using (var bus = await BranchBus.StartAsync(mallory))
        {
            // An invalid batch whose fault would go to a queue of the branch's choosing, with the HO's rights.
            await bus.SubmitAsync(new ProductsSubmitted
            {
                BranchId = malloryId,
                BatchId = invalid,
                Products = [ProductMessages.Submitted(malloryId, externalId: 1) with { Tax = -1f }],
            }, context => context.FaultAddress = new Uri($"queue:{faultTarget}"));
            await bus.SubmitAsync(new ProductsSubmitted
            {
                BranchId = malloryId,
                BatchId = valid,
                Products = [ProductMessages.Submitted(malloryId, externalId: 2)],
            }, context => context.ResponseAddress = new Uri($"queue:{responseTarget}"));
        }

        var reasons = await ErrorQueue.ReasonsAsync(system, "head-office-products-submitted_error", invalid.ToString(), valid.ToString());
        Assert.Contains("names a fault address", reasons[invalid.ToString()]);
        Assert.Contains("response address", reasons[valid.ToString()]);
        Assert.False(await TestServers.Management.QueueExistsAsync(system.VirtualHost, faultTarget));
        Assert.False(await TestServers.Management.QueueExistsAsync(system.VirtualHost, responseTarget));
        Assert.Empty(await system.HeadOffice.ListAsync(malloryId));
    }
}

public sealed class When_a_branch_reaches_for_what_is_not_its_own
{
    private const int AccessRefused = 403;

    [Fact]
    public async Task Should_be_refused_by_the_broker()
    {
        await using var system = await SyncSystem.StartAsync(["victim"]);
        var victim = system.Branch("victim");
        var mallory = await system.ProvisionBranchAsync("mallory");
        var malloryId = system.BranchId("mallory");
        var ownQueue = $"{malloryId}-product-sync";
        var victimAcks = $"{victim.Id}-acks";
        await using var connection = await BranchBroker.ConnectAsync(mallory);

        // What a branch does is allowed: its own queue, bound to its own acks exchange.
        Assert.Null(await BranchBroker.RefusalAsync(connection, async channel =>
        {
            await channel.ExchangeDeclareAsync($"{malloryId}-acks", ExchangeType.Fanout, durable: true);
            await channel.QueueDeclareAsync(ownQueue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(ownQueue, $"{malloryId}-acks", "");
        }));

        // Another branch's acks: binding its acks exchange to its own queue, or taking that exchange over.
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, channel =>
            channel.QueueBindAsync(ownQueue, victimAcks, "")));
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, channel =>
            channel.ExchangeDeleteAsync(victimAcks)));
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, channel =>
            channel.ExchangeDeclareAsync(victimAcks, ExchangeType.Fanout, durable: true)));

        // The exchanges every branch's traffic once went through, and the head office's own: no right at all.
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, channel =>
            channel.ExchangeDeleteAsync("SynchroMesh.Contracts:ProductsSubmitted")));
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, channel =>
            channel.ExchangeDeclareAsync("head-office-products-submitted", ExchangeType.Fanout, durable: true)));
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, async channel =>
            await channel.BasicPublishAsync("head-office-products-submitted", "", false, new BasicProperties(), "{}"u8.ToArray())));
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, async channel =>
            await channel.BasicPublishAsync($"{victim.Id}-submit", "", false, new BasicProperties(), "{}"u8.ToArray())));

        // Another branch's queue, or the head office's.
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, channel =>
            channel.BasicConsumeAsync($"{victim.Id}-product-sync", autoAck: false, new AsyncEventingBasicConsumer(channel))));
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, channel =>
            channel.BasicConsumeAsync("head-office-products-submitted", autoAck: false, new AsyncEventingBasicConsumer(channel))));
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, channel =>
            channel.QueueDeclareAsync($"{victim.Id}-spy", durable: false, exclusive: true, autoDelete: true)));

        // Faking an ack for another branch, or sending to its queue.
        var props = new BasicProperties();
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, async channel =>
            await channel.BasicPublishAsync(victimAcks, "", false, props, "{}"u8.ToArray())));
        Assert.Equal(AccessRefused, await BranchBroker.RefusalAsync(connection, async channel =>
            await channel.BasicPublishAsync($"{victim.Id}-product-sync", "", false, props, "{}"u8.ToArray())));

        // The branch it reached for kept working throughout.
        await victim.CreateAsync(SaleInput.Example());
        await victim.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
    }
}

public sealed class When_a_branch_is_revoked
{
    [Fact]
    public async Task Should_lose_its_open_connection_and_its_login()
    {
        await using var system = await SyncSystem.StartAsync([]);
        var access = await system.ProvisionBranchAsync("gone");
        var connection = await BranchBroker.ConnectAsync(access);
        await using (connection)
        {
            await BranchAccounts.RevokeAsync(system.BranchId("gone"), system.VirtualHost);
            await Eventually.UntilAsync(() => Task.FromResult(!connection.IsOpen), TimeSpan.FromSeconds(30), "the revoked branch's connection is closed");
        }

        await Assert.ThrowsAsync<BrokerUnreachableException>(() => BranchBroker.ConnectAsync(access));
    }
}
