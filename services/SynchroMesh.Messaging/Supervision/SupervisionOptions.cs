using System.ComponentModel.DataAnnotations;
using SynchroMesh.ServiceDefaults.Configuration;

namespace SynchroMesh.Messaging.Supervision;

/// <summary>How each service watches its own progress (section <c>Supervision</c>, env <c>Supervision__EndpointGrace</c> and so on).</summary>
public sealed class SupervisionOptions
{
    public const string Section = "Supervision";

    /// <summary>How often the parts are looked at.</summary>
    [TimeSpanSetting("00:00:00.100", "00:10:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a receive endpoint may stay not Ready while the broker is reachable. MassTransit retries a lost
    /// connection after 3 s growing to 30 s, with a connection timeout of 10 s, so a healthy reconnect takes well under
    /// two minutes.
    /// </summary>
    [TimeSpanSetting("00:00:01", "01:00:00")]
    public TimeSpan EndpointGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the branch's outbox may go without a successful pass while the broker is reachable.</summary>
    [TimeSpanSetting("00:00:01", "01:00:00")]
    public TimeSpan OutboxGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a restart of the bus may take (stop, then start) before it counts as failed.</summary>
    [TimeSpanSetting("00:00:01", "00:10:00")]
    public TimeSpan RestartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
