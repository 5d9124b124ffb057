namespace SynchroMesh.FaultLab;

/// <summary>The body of a branch's create or update, as a client sends it.</summary>
public sealed record SaleInput(DateOnly Date, string Product, string Region, uint Qty, decimal Cost, float Tax)
{
    public static SaleInput Example(string product = "espresso", uint qty = 1, decimal cost = 2.5m) =>
        new(new DateOnly(2026, 11, 25), product, "north", qty, cost, 0.2f);
}

/// <summary>A product as the branch API returns it.</summary>
public sealed record BranchProductView(
    long Id, DateOnly Date, string Product, string Region, uint Qty, decimal Cost, float Tax,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt,
    long Version, long SentVersion, long AckedVersion, string SyncState);

/// <summary>A product as the head office API returns it.</summary>
public sealed record HeadOfficeProductView(
    string BranchId, long ExternalId, long Version, DateOnly Date, string Product, string Region, uint Qty,
    decimal Cost, float Tax, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt,
    bool IsDeleted, DateTimeOffset ReceivedAt);

/// <summary>A branch's <c>GET /sync/status</c>.</summary>
public sealed record SyncStatusView(
    string BranchId, long NotSent, long WaitingForAck, long Acked, DateTimeOffset? OldestUnackedChangeAt,
    double? OldestUnackedAgeSeconds, DateTimeOffset? LastAckAt, bool BrokerConnected, string BrokerStatus,
    SupervisionView Supervision, DateTimeOffset At);

/// <summary>A service's supervisor, as <c>/health/supervision</c> and a branch's <c>/sync/status</c> report it.</summary>
public sealed record SupervisionView(
    bool Live, string? RestartNeeded, long Recoveries, Dictionary<string, long> RecoveriesByPart, RecoveryView[] Recent);

/// <summary>One step the supervisor took.</summary>
public sealed record RecoveryView(DateTimeOffset At, string Part, string Problem, string Action, string Outcome);

/// <summary>A branch as the head office's <c>GET /branches</c> reports it.</summary>
public sealed record BranchSummaryView(
    string BranchId, long Rows, long Deleted, DateTimeOffset? LastReceivedAt, DateTimeOffset? NewestChangeAt,
    DateTimeOffset? LastHeartbeatAt, bool Online, long? Backlog, DateTimeOffset? BranchNewestChangeAt, double? LagSeconds,
    DateTimeOffset? Since = null, double RowsPerMinute = 0);

/// <summary>One sample of <c>GET /branches/{id}/history</c>.</summary>
public sealed record BranchSampleView(DateTimeOffset At, long Backlog, double LagSeconds);

/// <summary>The head office's <c>GET /reports/sales</c>.</summary>
public sealed record SalesReportView(string GroupBy, DateOnly From, DateOnly To, SalesReportRowView[] Rows, SalesReportRowView Totals);

/// <summary>One group of the sales report.</summary>
public sealed record SalesReportRowView(string Key, long Quantity, decimal Amount, decimal Tax, decimal Total, long Lines);

/// <summary>The head office's <c>GET /dead-messages</c>: a message in an error queue.</summary>
public sealed record DeadMessageView(string Queue, string MessageId, string MessageType, string? BranchId, DateTimeOffset? FailedAt, string Reason, string? ExceptionType, int SizeBytes, string? Body);

/// <summary>What <c>POST /dead-messages/retry</c> or <c>/discard</c> did.</summary>
public sealed record DeadMessageActionView(string Action, DeadMessageView[] Done, string[] Failed);

/// <summary>One entry of <c>GET /dead-messages/audit</c>.</summary>
public sealed record DeadMessageAuditView(DateTimeOffset At, string Actor, string Action, string Note, string Queue, string MessageId, string MessageType, string? BranchId, string FaultReason);

/// <summary>The head office's <c>GET /alerts</c>.</summary>
public sealed record AlertReportView(DateTimeOffset At, AlertView[] Alerts, int Branches, int BranchesOnline, long DeadMessages);

public sealed record AlertView(string Kind, string Subject, string Message, DateTimeOffset? Since, double Value, double Threshold);
