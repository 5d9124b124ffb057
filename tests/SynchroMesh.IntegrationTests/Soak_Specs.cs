namespace SynchroMesh.IntegrationTests;

public sealed class When_a_short_soak_mixes_every_fault
{
    [Fact]
    public async Task Should_report_nothing_lost_duplicated_stale_or_stuck()
    {
        var settings = new SoakSettings(
            Duration: TimeSpan.FromSeconds(75), Branches: 3, WritesPerSecondPerBranch: 5, Seed: 42,
            AckTimeout: TimeSpan.FromSeconds(5), ConvergenceTimeout: TimeSpan.FromMinutes(3), MaxSecondsBetweenFaults: 3);
        var log = new StringWriter();

        var result = await new SoakRun(settings, log).RunAsync();

        Assert.True(result.IsClean, $"{result.Summary()}\n{log}");
        Assert.True(result.Faults.Values.Sum() >= 5, $"too few faults to prove anything: {result.Summary()}");
        Assert.True(result.Changes > 500, result.Summary());
    }
}
