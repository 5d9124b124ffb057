using System.Collections.Concurrent;

namespace SynchroMesh.IntegrationTests;

public sealed class When_the_head_office_receives_an_invalid_product
{
    [Fact]
    public async Task Should_store_nothing_move_it_to_the_error_queue_with_a_reason_and_go_on()
    {
        await using var system = await SyncSystem.StartAsync([]);
        var branchId = system.BranchId("bad");

        // A single ProductSubmitted comes from another program, which the HO grants its own route (here the test
        // user, an impersonator, speaking as the branch).
        var bus = TestServers.CreateBus(system.VirtualHost, publishAs: new BranchTopology(branchId).User);
        await bus.StartAsync();
        try
        {
            await bus.Publish(ProductMessages.Submitted(branchId, externalId: -5) with { Tax = -1f });
            await bus.Publish(ProductMessages.Submitted(branchId, externalId: 6));

            // The valid one behind it is stored: the consumer went on.
            await Eventually.UntilAsync(
                async () => await system.HeadOffice.GetAsync(branchId, 6) is not null, TimeSpan.FromSeconds(30), "the valid product behind the bad ones is stored");
        }
        finally
        {
            await bus.StopAsync();
        }

        var faults = new ConcurrentBag<string>();
        await Eventually.UntilAsync(async () =>
        {
            foreach (var message in await TestServers.Management.TakeMessagesAsync(system.VirtualHost, HeadOfficeTopology.ErrorQueue(HeadOfficeTopology.SingleProductQueue), 50))
            {
                var reason = message.GetProperty("properties").GetProperty("headers").GetProperty("MT-Fault-Message").GetString()!;
                if (message.GetProperty("payload").GetString()!.Contains(branchId, StringComparison.Ordinal))
                {
                    faults.Add(reason);
                }
            }

            return !faults.IsEmpty;
        }, TimeSpan.FromSeconds(30), "every bad message is in the error queue with its reason");

        var fault = Assert.Single(faults);
        Assert.Contains("externalId", fault);
        Assert.Contains("tax", fault);
        Assert.Equal(6, Assert.Single(await system.HeadOffice.ListAsync(branchId)).ExternalId);
    }
}

public sealed class When_the_head_office_receives_malformed_messages
{
    private const string Queue = HeadOfficeTopology.SingleProductQueue;

    [Fact]
    public async Task Should_move_each_to_the_error_queue_with_a_readable_reason_store_nothing_and_go_on()
    {
        await using var system = await SyncSystem.StartAsync([]);
        await Eventually.UntilAsync(() => TestServers.Management.QueueExistsAsync(system.VirtualHost, Queue), TimeSpan.FromSeconds(60), "the head office's queue exists");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string Branch(string fault) => $"bad-{fault}-{suffix}";

        // What each message is, and what its error-queue reason must say for a person to see what was wrong.
        var cases = new Dictionary<string, (string Payload, string Reason)>
        {
            ["notjson"] = ($"this is not JSON at all, sent by {Branch("notjson")}", "could not be read"),
            ["truncated"] = ($$"""{"messageId":"{{Guid.NewGuid()}}","messageType":["urn:message:SynchroMesh.Contracts:ProductSubmitted"],"message":{"branchId":"{{Branch("truncated")}}","externalId":1,""", "could not be read"),
            ["unknowntype"] = (RawMessages.Envelope("urn:message:Retail.Pos:RefundIssued", $$"""{"branchId":"{{Branch("unknowntype")}}","amount":3}"""), "No consumer"),
            ["nanliteral"] = (RawMessages.Envelope(RawMessages.Product(Branch("nanliteral"), tax: "NaN")), "could not be read"),
            ["nanstring"] = (RawMessages.Envelope(RawMessages.Product(Branch("nanstring"), tax: "\"NaN\"")), "tax"),
            ["infinity"] = (RawMessages.Envelope(RawMessages.Product(Branch("infinity"), tax: "\"Infinity\"")), "tax"),
            ["hugecost"] = (RawMessages.Envelope(RawMessages.Product(Branch("hugecost"), cost: "1e400")), "could not be read"),
            ["toolong"] = (RawMessages.Envelope(RawMessages.Product(Branch("toolong"), product: new string('x', 201))), "product"),
            ["nobranch"] = (RawMessages.Envelope(RawMessages.Product("", product: "nobranch-" + suffix)), "branchId"),
            ["baddate"] = (RawMessages.Envelope(RawMessages.Product(Branch("baddate"), date: "1890-01-01")), "date"),
            // Text PostgreSQL cannot hold, which JSON can carry: refused by name, not by a failed insert.
            ["nul"] = (RawMessages.Envelope(RawMessages.Product(Branch("nul"), product: @"te\u0000a")), "product: must not contain the NUL character"),
            ["surrogate"] = (RawMessages.Envelope(RawMessages.Product(Branch("surrogate"), product: @"tea\udc00")), "product"),
        };

        foreach (var (_, (payload, _)) in cases)
        {
            await TestServers.Management.PublishRawAsync(system.VirtualHost, Queue, payload, RawMessages.ContentType);
        }

        // A good one behind them all is stored: the consumer kept going.
        await TestServers.Management.PublishRawAsync(system.VirtualHost, Queue, RawMessages.Envelope(RawMessages.Product(Branch("good"))), RawMessages.ContentType,
            userId: new BranchTopology(Branch("good")).User);
        await Eventually.UntilAsync(async () => await system.HeadOffice.GetAsync(Branch("good"), 1) is not null,
            TimeSpan.FromSeconds(60), "a good message behind the bad ones is stored", () => Task.FromResult(system.HeadOffice.Process.RecentLog));

        var reasons = new ConcurrentDictionary<string, string>();
        await Eventually.UntilAsync(async () =>
        {
            foreach (var message in await TestServers.Management.TakeMessagesAsync(system.VirtualHost, HeadOfficeTopology.ErrorQueue(Queue), 50))
            {
                var payload = message.GetProperty("payload").GetString()!;
                var headers = message.GetProperty("properties").GetProperty("headers");
                var reason = headers.TryGetProperty("MT-Fault-Message", out var value) ? value.GetString()! : "(no MT-Fault-Message header)";
                foreach (var name in cases.Keys.Where(n => payload.Contains(n == "nobranch" ? "nobranch-" + suffix : Branch(n), StringComparison.Ordinal)))
                {
                    reasons[name] = reason;
                }
            }

            return reasons.Count == cases.Count;
        }, TimeSpan.FromSeconds(60), $"the error queue holds {string.Join(", ", cases.Keys)}", () => Task.FromResult(string.Join(", ", reasons.Keys)));

        foreach (var (name, (_, expected)) in cases)
        {
            Assert.True(reasons[name].Contains(expected, StringComparison.OrdinalIgnoreCase),
                $"{name}: reason \"{reasons[name]}\" does not mention {expected}; all: {string.Join(" | ", reasons.Select(r => $"{r.Key}: {r.Value}"))}");
        }

        foreach (var name in cases.Keys)
        {
            Assert.Empty(await system.HeadOffice.ListAsync(Branch(name)));
        }

        Assert.Equal(0, await TestServers.Management.MessageCountAsync(system.VirtualHost, HeadOfficeTopology.SkippedQueue(Queue)));
    }

}

public sealed class When_a_batch_holds_an_invalid_product
{
    [Fact]
    public async Task Should_store_the_valid_ones_and_move_the_batch_to_the_error_queue_naming_the_invalid_one()
    {
        await using var system = await SyncSystem.StartAsync([]);
        var branchId = system.BranchId("batch");
        var batchId = Guid.NewGuid();

        var access = await system.ProvisionBranchAsync("batch");
        await using (var bus = await BranchBus.StartAsync(access))
        {
            await bus.SubmitAsync(new ProductsSubmitted
            {
                BranchId = branchId,
                BatchId = batchId,
                Products =
                [
                    ProductMessages.Submitted(branchId, externalId: 1),
                    ProductMessages.Submitted(branchId, externalId: 2) with { Tax = -1f },
                    ProductMessages.Submitted(branchId, externalId: 3),
                    ProductMessages.Submitted("another-branch", externalId: 4),
                ],
            });
        }

        string? reason = null;
        await Eventually.UntilAsync(async () =>
        {
            foreach (var message in await TestServers.Management.TakeMessagesAsync(system.VirtualHost, HeadOfficeTopology.ErrorQueue(HeadOfficeTopology.BatchQueue), 10))
            {
                if (message.GetProperty("payload").GetString()!.Contains(batchId.ToString(), StringComparison.Ordinal))
                {
                    reason = message.GetProperty("properties").GetProperty("headers").GetProperty("MT-Fault-Message").GetString();
                }
            }

            return reason is not null;
        }, TimeSpan.FromSeconds(60), "the batch is in the error queue with its reason", () => Task.FromResult(system.HeadOffice.Process.RecentLog));

        Assert.Contains("externalId 2: tax", reason);
        Assert.Contains("externalId 4: branchId", reason);
        Assert.DoesNotContain("externalId 1", reason);
        Assert.Equal([1L, 3L], (await system.HeadOffice.ListAsync(branchId)).Select(p => p.ExternalId));
        Assert.Empty(await system.HeadOffice.ListAsync("another-branch"));
    }
}
