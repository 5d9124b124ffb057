namespace SynchroMesh.HeadOfficeIngest.Alerts;

/// <summary>A condition that fires now.</summary>
/// <param name="Kind">What fires: <c>branch-offline</c>, <c>branch-lag</c>, <c>branch-backlog</c>, <c>dead-messages</c>, <c>certificate-expiring</c> or <c>check-failed</c>.</param>
/// <param name="Subject">What it is about: a branch id, an error queue, a certificate.</param>
/// <param name="Message">What a person reads.</param>
/// <param name="Since">Since when the condition holds, when known.</param>
/// <param name="Value">The measured figure (seconds, rows, messages, days left).</param>
/// <param name="Threshold">The configured limit it crossed.</param>
public sealed record Alert(string Kind, string Subject, string Message, DateTimeOffset? Since, double Value, double Threshold);

public static class AlertKinds
{
    public const string BranchOffline = "branch-offline";
    public const string BranchLag = "branch-lag";
    public const string BranchBacklog = "branch-backlog";
    public const string DeadMessages = "dead-messages";
    public const string CertificateExpiring = "certificate-expiring";

    /// <summary>A check that could not be made (the broker's management API did not answer, say): nobody knows, which is an alert too.</summary>
    public const string CheckFailed = "check-failed";

    public static readonly string[] All = [BranchOffline, BranchLag, BranchBacklog, DeadMessages, CertificateExpiring, CheckFailed];
}
