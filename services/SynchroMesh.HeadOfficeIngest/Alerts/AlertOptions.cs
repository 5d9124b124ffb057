namespace SynchroMesh.HeadOfficeIngest.Alerts;

/// <summary>When the head office raises an alert (section <c>Alerts</c>); each threshold by configuration.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>A branch silent longer than this (no heartbeat) is an alert.</summary>
    [TimeSpanSetting("00:00:01", "30.00:00:00")]
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A branch whose head office copy lags more than this behind its newest change is an alert.</summary>
    [TimeSpanSetting("00:00:01", "30.00:00:00")]
    public TimeSpan LagAbove { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A branch with more rows than this waiting to be acked is an alert.</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "{0} must be a positive number of rows.")]
    public long BacklogAbove { get; set; } = 10_000;

    /// <summary>A watched certificate that expires within this is an alert.</summary>
    [TimeSpanSetting("01:00:00", "366.00:00:00")]
    public TimeSpan CertificateExpiresWithin { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Certificate files to watch (PEM or DER), besides those the head office uses already: the broker's, as its TLS
    /// handshake shows it, and <c>RabbitMq:TlsCaCertificate</c>.
    /// </summary>
    public string[] CertificateFiles { get; set; } = [];

    /// <summary>How often the alert metrics are brought up to date (<c>GET /alerts</c> always looks now).</summary>
    [TimeSpanSetting("00:00:01", "01:00:00")]
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(30);
}
