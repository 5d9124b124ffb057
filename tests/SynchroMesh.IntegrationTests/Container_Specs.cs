using System.Text.Json;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// The offices as users deploy them: images built from deploy/Dockerfile, containers started from the compose files by
/// deploy/containers.sh, a branch reaching the head office's broker over a network of its own.
/// </summary>
public sealed class When_the_offices_run_in_containers : IAsyncLifetime
{
    private static readonly TimeSpan Converges = TimeSpan.FromMinutes(3);
    private ContainerOffices _offices = null!;

    public async Task InitializeAsync() =>
        _offices = await ContainerOffices.UpAsync("smspec", httpPort: 8200, postgresPort: 5540, "north", "south");

    public async Task DisposeAsync() => await _offices.DisposeAsync();

    [Fact]
    public async Task Should_bring_every_sale_to_the_head_office_through_a_cut_network_a_killed_head_office_and_a_stopped_branch()
    {
        foreach (var container in _offices.ServiceContainers)
        {
            var state = await _offices.InspectAsync(container);
            Assert.Equal(("running", "healthy"), (state.Status, state.Health));
            Assert.NotEqual("", state.User);
            Assert.NotEqual("0", state.User);
            Assert.NotEqual("root", state.User);
            Assert.True(state.ReadOnlyRootFileSystem, $"{container} has a writable root file system");
            Assert.Equal("unless-stopped", state.RestartPolicy);
        }

        var north = _offices.Branches.Single(b => b.Id == "north");
        var south = _offices.Branches.Single(b => b.Id == "south");
        var northSales = new SalesWorkload(north, seed: 61);
        var southSales = new SalesWorkload(south, seed: 62);
        await Task.WhenAll(northSales.WriteAsync(30), southSales.WriteAsync(30));
        await ConvergedAsync(north, south);

        // Cut off from the broker, north keeps recording sales; south is not held back by it.
        await _offices.CutAsync("north");
        await Task.WhenAll(northSales.WriteAsync(30), southSales.WriteAsync(30));
        await ConvergedAsync(south);
        Assert.True((await _offices.CheckAsync(north)).Unacked > 0, "north's sales reached the head office through a cut network");

        // A crashed head office is started again by its restart policy and comes back healthy.
        var restartsBefore = (await _offices.InspectAsync(_offices.HeadOfficeService)).RestartCount;
        await _offices.KillProcessAsync(_offices.HeadOfficeService);
        await Eventually.UntilAsync(async () => await _offices.InspectAsync(_offices.HeadOfficeService) is
            { Status: "running", Health: "healthy" } state && state.RestartCount > restartsBefore,
            TimeSpan.FromMinutes(2), "the killed head office is restarted and healthy",
            async () => (await _offices.InspectAsync(_offices.HeadOfficeService)).ToString());

        // SIGTERM stops a branch's service well within its grace period, cleanly; started again, it goes on.
        var southService = _offices.BranchService("south");
        var stopped = await _offices.StopAsync(southService, TimeSpan.FromSeconds(30));
        Assert.True(stopped < TimeSpan.FromSeconds(25), $"south's service took {stopped.TotalSeconds:0.#} s to stop");
        Assert.Equal(0, (await _offices.InspectAsync(southService)).ExitCode);
        await _offices.StartAsync(southService, south.Http);

        await _offices.ReconnectAsync("north");
        await Task.WhenAll(northSales.WriteAsync(10), southSales.WriteAsync(10));
        await ConvergedAsync(north, south);

        // Logs are structured: every line the services wrote is one JSON object.
        foreach (var container in _offices.ServiceContainers)
        {
            var lines = await _offices.LogAsync(container);
            Assert.NotEmpty(lines);
            Assert.All(lines, line => Assert.True(IsJsonObject(line), $"{container} wrote a line that is not a JSON object: {line}"));
        }
    }

    private static bool IsJsonObject(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task ConvergedAsync(params ContainerBranch[] branches)
    {
        foreach (var branch in branches)
        {
            await Eventually.UntilAsync(async () => (await _offices.CheckAsync(branch)).IsClean, Converges,
                $"the head office holds every change of {branch.Id} once, at its newest version, acked",
                async () => (await _offices.CheckAsync(branch)).ToString(), TimeSpan.FromSeconds(1));
        }
    }
}
