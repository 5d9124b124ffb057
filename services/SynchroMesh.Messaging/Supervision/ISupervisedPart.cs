namespace SynchroMesh.Messaging.Supervision;

/// <summary>A part of a service that <see cref="ServiceSupervisor"/> watches for a lack of progress, and knows how to restart.</summary>
public interface ISupervisedPart
{
    /// <summary>How the part is named in logs, metrics and <c>/health/supervision</c>.</summary>
    string Name { get; }

    /// <summary>How long a problem may last before the supervisor steps in: longer than the part heals by itself.</summary>
    TimeSpan Grace { get; }

    /// <summary>What <see cref="RecoverAsync"/> does.</summary>
    RecoveryAction Recovery { get; }

    /// <summary>What is wrong with the part now, in words for an operator; null when nothing is.</summary>
    string? Problem(DateTimeOffset now);

    /// <summary>Restarts the part in process; returns how it went, in words for the log and the status.</summary>
    Task<string> RecoverAsync(CancellationToken cancellationToken);
}
