namespace SynchroMesh.HeadOfficeIngest;

/// <summary>The console's history of each branch (section <c>Console</c>).</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>At most one sample of a branch's backlog and lag per this long: the chart's resolution.</summary>
    [TimeSpanSetting("00:00:01", "01:00:00")]
    public TimeSpan HistoryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long samples are kept: the chart's reach.</summary>
    [TimeSpanSetting("01:00:00", "366.00:00:00")]
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(14);
}
