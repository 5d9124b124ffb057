namespace SynchroMesh.HeadOfficeIngest.DeadLetters;

/// <summary>Where the head office finds the error queues (section <c>DeadLetters</c>).</summary>
public sealed class DeadLetterOptions
{
    public const string Section = "DeadLetters";

    /// <summary>
    /// The broker's management API, which lists the error queues and their depths in one call (the messages themselves
    /// are read and moved over AMQP, with the head office's broker user). Default: port 15672 of <c>RabbitMq:Host</c>.
    /// </summary>
    public Uri? ManagementUrl { get; set; }

    /// <summary>The most messages one look or one action goes through, per error queue.</summary>
    [Range(1, 100_000, ErrorMessage = Setting.Between)]
    public int MaxPerAction { get; set; } = 10_000;
}
