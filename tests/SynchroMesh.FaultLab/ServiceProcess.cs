using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SynchroMesh.FaultLab;

/// <summary>
/// One of our services running as a real process from its build output, on its own port, configured through
/// environment variables exactly as an operator would.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int MaxLogLines = 400;

    /// <summary>Every process started and not yet stopped, killed if the test host exits first: none may outlive it.</summary>
    private static readonly ConcurrentDictionary<ServiceProcess, byte> Running = new();

    static ServiceProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var service in Running.Keys)
            {
                try
                {
                    service._process?.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
        };
    }

    private readonly string _project;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Queue<string> _log = new();
    private StreamWriter? _logFile;
    private Process? _process;

    /// <param name="logFile">
    /// Where the whole log goes (appended to across restarts); by default a file named for the project and port in
    /// <see cref="ServiceLogs.Root"/>.
    /// </param>
    public ServiceProcess(string project, IReadOnlyDictionary<string, string> environment, string? logFile = null)
    {
        _project = project;
        _environment = LabCredentials.With(project, environment);
        Port = LocalPorts.Next();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
        if (LabCredentials.KeyFor(project) is { } key)
        {
            Http.DefaultRequestHeaders.Add(ApiKeyOptions.Header, key);
        }
        LogFile = logFile ?? Path.Combine(ServiceLogs.Root, $"{Path.GetFileName(project)}-{Port}.log");
    }

    /// <summary>Every line the process printed, across its restarts, each stamped with the time it was read.</summary>
    public string LogFile { get; }

    public int Port { get; }

    /// <summary>The environment the process is started with (its configuration).</summary>
    public IReadOnlyDictionary<string, string> Settings => _environment;

    /// <summary>The operating system's id of the running process, if any; for /proc figures such as peak memory.</summary>
    public int? ProcessId => IsRunning ? _process!.Id : null;
    public HttpClient Http { get; }
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines the process printed, for a failing test's message (the whole log is in <see cref="LogFile"/>).</summary>
    public string RecentLog
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    public void Start()
    {
        var assembly = RepositoryRoot.ServiceAssembly(_project);
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{_project} is not built for {RepositoryRoot.Configuration}", assembly);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(assembly);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{Port}");
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _process?.Dispose();
        lock (_log)
        {
            if (_logFile is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(LogFile)!);
                _logFile = new StreamWriter(LogFile, append: true) { AutoFlush = true };
            }
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {_project}");
        Running[this] = 0;
        Append($"=== {_project} started (pid {_process.Id}) at {DateTime.UtcNow:HH:mm:ss.fff}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// Waits until <c>/health/ready</c> answers 200 (2 minutes by default: a restart on this 2-core machine under a
    /// soak's load can take a minute), failing with the process's log when it does not.
    /// </summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        await Eventually.UntilAsync(async () =>
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"{_project} exited with {_process?.ExitCode} (whole log: {LogFile}):\n{RecentLog}");
            }

            try
            {
                using var response = await Http.GetAsync(ServiceHealth.ReadyPath);
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, timeout ?? TimeSpan.FromMinutes(2), $"{_project} is ready", () => Task.FromResult($"whole log: {LogFile}\n{RecentLog}"), interval);
    }

    /// <summary>The process's peak resident set size so far (VmHWM), in MB; NaN when it is not running.</summary>
    public double PeakRssMegabytes() => MemoryMegabytes("VmHWM:");

    /// <summary>The process's resident set size now (VmRSS), in MB; NaN when it is not running.</summary>
    public double RssMegabytes() => MemoryMegabytes("VmRSS:");

    private double MemoryMegabytes(string field)
    {
        if (ProcessId is not { } pid)
        {
            return double.NaN;
        }

        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        var kilobytes = long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }

    public async Task StartAndWaitUntilReadyAsync()
    {
        Start();
        await WaitUntilReadyAsync();
    }

    /// <summary>Asks the process to shut down (SIGTERM) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, SigTerm);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_project} did not stop within 45 s:\n{RecentLog}");
        }
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process!.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once, as kill -9 would.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Running.TryRemove(this, out _);
            _process?.Dispose();
            Http.Dispose();
            lock (_log)
            {
                _logFile?.Dispose();
                _logFile = null;
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            var stamped = $"{DateTime.UtcNow:HH:mm:ss.fff} {line}";
            _logFile?.WriteLine(stamped);

            _log.Enqueue(stamped);
            while (_log.Count > MaxLogLines)
            {
                _log.Dequeue();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
