namespace SynchroMesh.Messaging.Postgres.Scheduling;

internal static class JobDataReader
{
    public static string Required(this JobDataMap data, string key) =>
        data.Optional(key) ?? throw new JobExecutionException($"The scheduled message's job data has no '{key}'.");

    public static string? Optional(this JobDataMap data, string key) =>
        data.TryGetString(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
