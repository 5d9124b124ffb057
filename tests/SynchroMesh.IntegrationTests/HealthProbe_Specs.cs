using System.Diagnostics;

namespace SynchroMesh.IntegrationTests;

/// <summary>The container's HEALTHCHECK: <c>dotnet SynchroMesh.HeadOfficeIngest.dll health-probe live</c>.</summary>
public sealed class When_the_container_probes_the_service
{
    [Fact]
    public async Task Should_exit_0_while_it_answers_and_1_when_nothing_does()
    {
        await using var system = await SyncSystem.StartAsync([]);
        var port = system.HeadOffice.Process.Port;

        Assert.Equal(0, await ProbeAsync(port, "live"));
        Assert.Equal(0, await ProbeAsync(port, "ready"));
        Assert.Equal(1, await ProbeAsync(LocalPorts.Next(), "live"));
        Assert.Equal(2, await ProbeAsync(port, "sideways"));

        await system.HeadOffice.Process.StopAsync();
        Assert.Equal(1, await ProbeAsync(port, "live"));
    }

    private static async Task<int> ProbeAsync(int port, string which)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepositoryRoot.ServiceAssembly("SynchroMesh.HeadOfficeIngest"));
        info.ArgumentList.Add("health-probe");
        info.ArgumentList.Add(which);
        info.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString();
        using var process = Process.Start(info)!;
        await Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }
}
