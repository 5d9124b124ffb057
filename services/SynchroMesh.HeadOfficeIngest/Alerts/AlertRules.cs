namespace SynchroMesh.HeadOfficeIngest.Alerts;

/// <summary>When each alert fires, as plain rules over what <see cref="AlertMonitor"/> read: one place for the thresholds' meaning.</summary>
public static class AlertRules
{
    /// <summary>
    /// A branch's alerts: silent longer than <see cref="AlertOptions.OfflineAfter"/> (counted from its last heartbeat,
    /// or from its last row stored when it never sent one), behind more than <see cref="AlertOptions.LagAbove"/>,
    /// more than <see cref="AlertOptions.BacklogAbove"/> rows waiting.
    /// </summary>
    public static IEnumerable<Alert> ForBranch(BranchStatus branch, AlertOptions options, DateTimeOffset now)
    {
        if (!branch.Online)
        {
            var silentSince = branch.Since ?? branch.LastReceivedAt;
            var silent = silentSince is { } at ? now - at : TimeSpan.MaxValue;
            if (silent > options.OfflineAfter)
            {
                yield return new Alert(AlertKinds.BranchOffline, branch.BranchId,
                    silentSince is null ? $"{branch.BranchId} has never sent a heartbeat" : $"{branch.BranchId} offline for {Describe(silent)}",
                    silentSince, silentSince is null ? -1 : Math.Round(silent.TotalSeconds), options.OfflineAfter.TotalSeconds);
            }
        }

        if (branch.LagSeconds is { } lag && lag > options.LagAbove.TotalSeconds)
        {
            yield return new Alert(AlertKinds.BranchLag, branch.BranchId,
                $"the head office is {Describe(TimeSpan.FromSeconds(lag))} behind {branch.BranchId}", null, Math.Round(lag), options.LagAbove.TotalSeconds);
        }

        if (branch.Backlog is { } backlog && backlog > options.BacklogAbove)
        {
            yield return new Alert(AlertKinds.BranchBacklog, branch.BranchId,
                $"{branch.BranchId} has {backlog:N0} rows waiting to reach the head office", null, backlog, options.BacklogAbove);
        }
    }

    /// <summary>Any message in an error queue.</summary>
    public static IEnumerable<Alert> ForQueue(DeadLetterQueue queue)
    {
        if (queue.Messages > 0)
        {
            yield return new Alert(AlertKinds.DeadMessages, queue.Queue,
                $"{queue.Messages:N0} message{(queue.Messages == 1 ? "" : "s")} in {queue.Queue}", null, queue.Messages, 0);
        }
    }

    /// <summary>A certificate that expires within <see cref="AlertOptions.CertificateExpiresWithin"/>, or has expired.</summary>
    public static IEnumerable<Alert> ForCertificate(string name, DateTimeOffset expires, AlertOptions options, DateTimeOffset now)
    {
        var left = expires - now;
        if (left < options.CertificateExpiresWithin)
        {
            yield return new Alert(AlertKinds.CertificateExpiring, name,
                left <= TimeSpan.Zero ? $"the certificate {name} expired on {expires:yyyy-MM-dd}" : $"the certificate {name} expires in {Describe(left)} ({expires:yyyy-MM-dd})",
                null, Math.Round(left.TotalDays, 1), options.CertificateExpiresWithin.TotalDays);
        }
    }

    private static string Describe(TimeSpan span) => span switch
    {
        { TotalDays: >= 2 } => $"{span.TotalDays:0} days",
        { TotalHours: >= 2 } => $"{span.TotalHours:0} hours",
        { TotalMinutes: >= 2 } => $"{span.TotalMinutes:0} minutes",
        _ => $"{span.TotalSeconds:0} seconds",
    };
}
