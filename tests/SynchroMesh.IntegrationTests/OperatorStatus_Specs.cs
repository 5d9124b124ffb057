using System.Text.Json;

namespace SynchroMesh.IntegrationTests;

public sealed class When_an_operator_reads_a_branch_sync_status
{
    [Fact]
    public async Task Should_count_rows_by_their_trip_and_say_how_far_behind_the_head_office_is()
    {
        await using var system = await SyncSystem.StartAsync(["status"], broker: new BrokerOptions(BehindLinks: true));
        var branch = system.Branch("status");

        var synced = await branch.CreateAsync(SaleInput.Example(product: "before the cut"));
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        var before = await branch.StatusAsync();
        Assert.Equal(branch.Id, before.BranchId);
        Assert.Equal((0L, 0L, 1L), (before.NotSent, before.WaitingForAck, before.Acked));
        Assert.Null(before.OldestUnackedChangeAt);
        Assert.Null(before.OldestUnackedAgeSeconds);
        Assert.NotNull(before.LastAckAt);
        Assert.True(before.LastAckAt >= synced.UpdatedAt);
        Assert.True(before.BrokerConnected);

        // Offline: the changes wait, and the status says since when.
        branch.Link.Cut();
        var seen = new List<string>();
        await Eventually.UntilAsync(async () =>
            {
                var s = await branch.StatusAsync();
                seen.Add($"{s.BrokerConnected} {s.BrokerStatus}");
                return !s.BrokerConnected;
            }, TimeSpan.FromSeconds(20), "the status says the broker is not connected once the link is cut", () => Task.FromResult(string.Join(" | ", seen.Distinct())));
        var first = await branch.CreateAsync(SaleInput.Example(product: "while offline 1"));
        await branch.CreateAsync(SaleInput.Example(product: "while offline 2"));
        await branch.UpdateAsync(synced.Id, SaleInput.Example(product: "before the cut", qty: 2));

        var offline = await branch.StatusAsync();
        Assert.Equal(3, offline.NotSent + offline.WaitingForAck);
        Assert.Equal(0, offline.Acked);
        // PostgreSQL keeps microseconds, .NET ticks of 100 ns.
        Assert.True(Math.Abs((offline.OldestUnackedChangeAt!.Value - first.UpdatedAt).TotalMilliseconds) < 1, $"{offline.OldestUnackedChangeAt:O} vs {first.UpdatedAt:O}");
        Assert.True(offline.OldestUnackedAgeSeconds >= 0);
        Assert.Equal(before.LastAckAt, offline.LastAckAt);

        // Back online: everything acked, nothing behind.
        branch.Link.Restore();
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(90));
        var after = await branch.StatusAsync();
        Assert.Equal((0L, 0L, 3L), (after.NotSent, after.WaitingForAck, after.Acked));
        Assert.Null(after.OldestUnackedChangeAt);
        Assert.True(after.LastAckAt > before.LastAckAt);
        await Eventually.UntilAsync(async () => (await branch.StatusAsync()).BrokerConnected, TimeSpan.FromSeconds(60), "the branch's broker connection is back");
    }
}

public sealed class When_an_operator_lists_the_branches_at_the_head_office
{
    [Fact]
    public async Task Should_list_every_branch_with_its_rows_deletions_and_latest_times()
    {
        await using var system = await SyncSystem.StartAsync(["list-a", "list-b"]);
        var a = system.Branch("list-a");
        var b = system.Branch("list-b");
        // Before any sale, a branch is known at most by its heartbeat.
        Assert.All(await system.HeadOffice.BranchesAsync(), x => Assert.Equal((0L, null), (x.Rows, x.LastReceivedAt)));

        var kept = await a.CreateAsync(SaleInput.Example(product: "kept"));
        var deleted = await a.CreateAsync(SaleInput.Example(product: "deleted"));
        await a.DeleteAsync(deleted.Id);
        var other = await b.CreateAsync(SaleInput.Example(product: "other branch"));
        await a.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        await b.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        var branches = await system.HeadOffice.BranchesAsync();
        Assert.Equal(new[] { a.Id, b.Id }, branches.Select(x => x.BranchId).ToArray());
        var atA = branches.Single(x => x.BranchId == a.Id);
        Assert.Equal((2L, 1L), (atA.Rows, atA.Deleted));
        var newestAtA = (await a.GetAsync(deleted.Id)).UpdatedAt;
        Assert.True(Math.Abs((atA.NewestChangeAt!.Value - newestAtA).TotalMilliseconds) < 1, $"{atA.NewestChangeAt:O} vs {newestAtA:O}");
        Assert.True(atA.LastReceivedAt >= kept.CreatedAt);

        var atB = branches.Single(x => x.BranchId == b.Id);
        Assert.Equal((1L, 0L), (atB.Rows, atB.Deleted));
        Assert.True(Math.Abs((atB.NewestChangeAt!.Value - other.UpdatedAt).TotalMilliseconds) < 1);
    }
}

public sealed class When_a_branch_falls_behind_the_head_office
{
    [Fact]
    public async Task Should_show_its_backlog_and_lag_from_its_heartbeat_and_offline_when_the_heartbeats_stop()
    {
        await using var system = await SyncSystem.StartAsync(["behind"], broker: new BrokerOptions(BehindLinks: true),
            branchSettings: new Dictionary<string, string> { ["Sync__HeartbeatInterval"] = "00:00:01" });
        var branch = system.Branch("behind");
        var first = await branch.CreateAsync(SaleInput.Example(product: "held"));
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        var caughtUp = await EventuallyAsync(system, branch.Id, b => b is { Online: true, Backlog: 0, LagSeconds: 0 }, "caught up");
        Assert.Equal(1, caughtUp.Rows);

        // The branch's batches stop reaching the head office, its heartbeats do not: the head office sees the backlog.
        var cut = await TestServers.Management.UnbindAsync(system.VirtualHost, $"{branch.Id}-submit", "");
        Assert.NotEmpty(cut);
        await branch.CreateAsync(SaleInput.Example(product: "waiting 1"));
        var newest = await branch.CreateAsync(SaleInput.Example(product: "waiting 2"));
        var behind = await EventuallyAsync(system, branch.Id, b => b.Backlog == 2, "two rows behind");
        var expectedLag = (newest.UpdatedAt - first.UpdatedAt).TotalSeconds;
        Assert.True(behind.Online);
        Assert.True(Math.Abs(behind.LagSeconds!.Value - expectedLag) < 0.001, $"lag {behind.LagSeconds} s, expected {expectedLag} s");
        Assert.True(Math.Abs((behind.BranchNewestChangeAt!.Value - newest.UpdatedAt).TotalMilliseconds) < 1);

        // Back: nothing behind.
        await TestServers.Management.RebindAsync(system.VirtualHost, cut);
        await branch.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(90));
        await EventuallyAsync(system, branch.Id, b => b is { Online: true, Backlog: 0, LagSeconds: 0, Rows: 3 }, "caught up again");

        // The link down: no heartbeat, and after three missed intervals the head office shows the branch offline.
        branch.Link.Cut();
        var offline = await EventuallyAsync(system, branch.Id, b => !b.Online, "offline");
        Assert.Equal(3, offline.Rows);
    }

    private static async Task<BranchSummaryView> EventuallyAsync(SyncSystem system, string branchId, Func<BranchSummaryView, bool> condition, string what)
    {
        BranchSummaryView? seen = null;
        await Eventually.UntilAsync(async () =>
        {
            seen = (await system.HeadOffice.BranchesAsync()).SingleOrDefault(b => b.BranchId == branchId);
            return seen is not null && condition(seen);
        }, TimeSpan.FromSeconds(60), $"/branches shows the branch {what}", () => Task.FromResult($"{seen}"));
        return seen!;
    }
}

public sealed class When_a_client_asks_a_service_for_its_api_description
{
    [Fact]
    public async Task Should_serve_an_openapi_document_naming_the_operator_endpoints_and_how_to_sign_in()
    {
        await using var system = await SyncSystem.StartAsync(["openapi"]);

        using var anonymous = new HttpClient { BaseAddress = system.HeadOffice.Process.Http.BaseAddress };
        var branchText = await system.Branch("openapi").Process.Http.GetStringAsync("/openapi/v1.json");
        var headOfficeText = await anonymous.GetStringAsync("/openapi/v1.json");
        // Saved for the ecosystem's linter (deploy/check-openapi.sh, run by deploy/test.sh after the specs).
        var folder = Environment.GetEnvironmentVariable("SYNCHROMESH_OPENAPI_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot.Path, "TestResults", "openapi");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "branch.json"), branchText);
        await File.WriteAllTextAsync(Path.Combine(folder, "head-office.json"), headOfficeText);

        using var branchDocument = JsonDocument.Parse(branchText);
        var branchPaths = branchDocument.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/sync/status", branchPaths);
        Assert.Contains("/products", branchPaths);
        Assert.Contains("/products/{id}", branchPaths);
        AssertEveryOperationDescribedAndSecured(branchDocument, ["ApiKey"]);

        using var headOfficeDocument = JsonDocument.Parse(headOfficeText);
        var headOfficePaths = headOfficeDocument.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/branches", headOfficePaths);
        Assert.Contains("/branches/{branchId}/products", headOfficePaths);
        Assert.Contains("/reports/sales", headOfficePaths);
        AssertEveryOperationDescribedAndSecured(headOfficeDocument, ["ApiKey", "console"]);
    }

    /// <summary>
    /// Every operation has an id and a summary, and every one but the health probe's requires one of the declared
    /// schemes and lists its 401.
    /// </summary>
    private static void AssertEveryOperationDescribedAndSecured(JsonDocument document, string[] schemes)
    {
        var declared = document.RootElement.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Subset(declared.ToHashSet(), schemes.ToHashSet());
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("operationId").GetString()), $"{where} has no operationId");
                Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()), $"{where} has no summary");
                if (path.Name.StartsWith("/health/", StringComparison.Ordinal))
                {
                    continue;
                }

                Assert.True(operation.Value.TryGetProperty("security", out var security), $"{where} declares no security");
                var required = security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToHashSet();
                Assert.Subset(required, schemes.ToHashSet());
                Assert.True(operation.Value.GetProperty("responses").TryGetProperty("401", out _), $"{where} lists no 401");
            }
        }
    }
}
