namespace SynchroMesh.Messaging.Postgres;

/// <summary>Settings of the Quartz message scheduler that keeps its schedules in PostgreSQL.</summary>
public sealed class PostgresQuartzSchedulerOptions
{
    /// <summary>Npgsql connection string of the database that holds the Quartz tables (created if missing).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The Quartz scheduler name, which is also the cluster name: every node with the same name and database
    /// shares the schedules, so give each branch its own (for example <c>branch-north</c>).
    /// </summary>
    public string SchedulerName { get; set; } = "synchromesh";

    /// <summary>The receive endpoint that consumes ScheduleMessage and CancelScheduledMessage.</summary>
    public string QueueName { get; set; } = "scheduler";

    /// <summary>Prefix of the Quartz tables.</summary>
    public string TablePrefix { get; set; } = "qrtz_";

    /// <summary>Wait before the first new attempt when a due message cannot be sent (broker down).</summary>
    public TimeSpan SendRetryInitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The back-off doubles up to this wait.</summary>
    public TimeSpan SendRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// New attempts before a due message is given up; the default, at the maximum delay, covers about a month
    /// of broker outage.
    /// </summary>
    public int SendRetryLimit { get; set; } = 10_000;

    internal void Validate()
    {
        Require(ConnectionString, nameof(ConnectionString));
        Require(SchedulerName, nameof(SchedulerName));
        Require(QueueName, nameof(QueueName));
        Require(TablePrefix, nameof(TablePrefix));

        if (SendRetryInitialDelay <= TimeSpan.Zero || SendRetryMaxDelay < SendRetryInitialDelay)
            throw new ArgumentException(
                $"{nameof(PostgresQuartzSchedulerOptions)}.{nameof(SendRetryMaxDelay)} must be at least {nameof(SendRetryInitialDelay)}, which must be positive.");

        if (SendRetryLimit < 1)
            throw new ArgumentException($"{nameof(PostgresQuartzSchedulerOptions)}.{nameof(SendRetryLimit)} must be at least 1.");
    }

    static void Require(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{nameof(PostgresQuartzSchedulerOptions)}.{name} is required.");
    }
}
