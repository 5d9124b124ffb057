namespace SynchroMesh.Messaging.Supervision;

/// <summary>
/// What the supervisor did and what it found: the recoveries it made (the last few), and the reason the process
/// should be restarted, if it gave up (then <c>/health/live</c> fails). Read by the health check and the status APIs.
/// </summary>
public sealed class SupervisionState
{
    private const int Kept = 20;
    private readonly Lock _gate = new();
    private readonly Queue<Recovery> _recent = new();
    private readonly Dictionary<string, long> _counts = new();
    private string? _restartNeeded;

    /// <summary>Why the process should be restarted by whoever runs it; null while in-process recovery suffices.</summary>
    public string? RestartNeeded
    {
        get
        {
            lock (_gate)
            {
                return _restartNeeded;
            }
        }
    }

    public SupervisionReport Report()
    {
        lock (_gate)
        {
            return new SupervisionReport(_restartNeeded is null, _restartNeeded, _counts.Values.Sum(),
                new Dictionary<string, long>(_counts), _recent.Reverse().ToList());
        }
    }

    internal void Recovered(Recovery recovery)
    {
        lock (_gate)
        {
            _counts[recovery.Part] = _counts.GetValueOrDefault(recovery.Part) + 1;
            _recent.Enqueue(recovery);
            while (_recent.Count > Kept)
            {
                _recent.Dequeue();
            }

            if (recovery.Action == RecoveryAction.RestartProcess)
            {
                _restartNeeded = $"{recovery.Part}: {recovery.Problem}";
            }
        }
    }

    /// <summary>The part that made the supervisor give up is well again: in-process recovery took after all.</summary>
    internal void Healed(string part)
    {
        lock (_gate)
        {
            if (_restartNeeded?.StartsWith(part + ":", StringComparison.Ordinal) == true)
            {
                _restartNeeded = null;
            }
        }
    }
}

/// <summary>What the supervisor did about a part that made no progress.</summary>
public enum RecoveryAction
{
    /// <summary>The receive endpoints that were not Ready were stopped and started again, each with a new receive transport.</summary>
    RestartEndpoints,

    /// <summary>The bus was stopped and started again: new connection, channels and receive transports.</summary>
    RestartBus,

    /// <summary><c>/health/live</c> fails, so that the container or service manager restarts the process.</summary>
    RestartProcess,
}

/// <param name="Outcome">How the action went (a restart that failed or timed out says so).</param>
public sealed record Recovery(DateTimeOffset At, string Part, string Problem, RecoveryAction Action, string Outcome);

/// <summary>The supervisor's state as the status APIs show it.</summary>
/// <param name="Live">False once the supervisor asks for the process to be restarted.</param>
/// <param name="Recoveries">Every recovery since the process started, all parts.</param>
public sealed record SupervisionReport(
    bool Live, string? RestartNeeded, long Recoveries, IReadOnlyDictionary<string, long> RecoveriesByPart, IReadOnlyList<Recovery> Recent);
