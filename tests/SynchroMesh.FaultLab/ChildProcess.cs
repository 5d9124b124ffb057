using System.Diagnostics;
using System.Text;

namespace SynchroMesh.FaultLab;

/// <summary>Runs a short command to completion.</summary>
public static class ChildProcess
{
    /// <summary>Its exit code and its combined output (standard output and error, as they came).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exitCode, output, _) = await RunCapturingAsync(file, arguments, timeout, environment);
        return (exitCode, output);
    }

    /// <summary>Its standard output alone (what a caller parses); throws with the combined output when it fails.</summary>
    public static async Task<string> StandardOutputOfAsync(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var (exitCode, output, standardOutput) = await RunCapturingAsync(file, arguments, timeout, null);
        return exitCode == 0
            ? standardOutput
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {exitCode}: {output}");
    }

    private static async Task<(int ExitCode, string Output, string StandardOutput)> RunCapturingAsync(
        string file, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); standardOutput.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish in {timeout}");
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString(), standardOutput.ToString());
        }
    }
}
