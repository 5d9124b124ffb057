using Microsoft.Extensions.Configuration;

namespace SynchroMesh.AppHost;

/// <summary>
/// Where the AppHost's servers are and what it runs, from the configuration section <c>SynchroMesh</c> (appsettings.json,
/// or the environment: <c>SynchroMesh__Branches=north,south,east</c>). Passwords are parameters: <c>Parameters:postgres-password</c>
/// and <c>Parameters:rabbitmq-password</c>.
/// </summary>
public sealed class AppHostSettings
{
    public required IReadOnlyList<string> Branches { get; init; }
    public int HttpPort { get; init; }
    public required string PostgresHost { get; init; }
    public int PostgresPort { get; init; }
    public required string PostgresUser { get; init; }
    public required string DatabasePrefix { get; init; }
    public required string RabbitHost { get; init; }
    public int RabbitPort { get; init; }
    public required string RabbitVirtualHost { get; init; }
    public required string RabbitUser { get; init; }
    public required Uri ManagementUrl { get; init; }

    public static AppHostSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("SynchroMesh");
        var branches = (section["Branches"] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var invalid = branches.Where(b => !SynchroMesh.Contracts.BranchIds.IsValid(b)).ToList();
        if (branches.Length == 0 || invalid.Count > 0 || branches.Distinct().Count() != branches.Length)
        {
            throw new InvalidOperationException(
                $"SynchroMesh:Branches must list one or more distinct branch ids, comma-separated, each a branch id ({SynchroMesh.Contracts.BranchIds.Rule}); got [{string.Join(", ", branches)}]");
        }

        return new AppHostSettings
        {
            Branches = branches,
            HttpPort = Port(section, "HttpPort", 5300),
            PostgresHost = section["PostgresHost"] ?? "127.0.0.1",
            PostgresPort = Port(section, "PostgresPort", 5432),
            PostgresUser = section["PostgresUser"] ?? "synchromesh",
            DatabasePrefix = section["DatabasePrefix"] ?? "synchromesh_aspire_",
            RabbitHost = section["RabbitHost"] ?? "127.0.0.1",
            RabbitPort = Port(section, "RabbitPort", 5672),
            RabbitVirtualHost = section["RabbitVirtualHost"] ?? "/",
            RabbitUser = section["RabbitUser"] ?? "synchromesh",
            ManagementUrl = new Uri(section["ManagementUrl"] ?? RabbitManagementClient.LocalUrl),
        };
    }

    /// <summary>The connection string of one of the run's databases (made by the service's migrations when missing).</summary>
    public ReferenceExpression Database(string name, IResourceBuilder<ParameterResource> password) =>
        ReferenceExpression.Create(
            $"Host={PostgresHost};Port={PostgresPort.ToString()};Username={PostgresUser};Password={password.Resource};Database={DatabasePrefix}{name.Replace('-', '_')}");

    private static int Port(IConfiguration section, string key, int fallback)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"SynchroMesh:{key} must be a port number (1-65535); got '{text}'");
    }
}

public static class AppHostResourceExtensions
{
    /// <summary>The broker settings a service reads (<c>RabbitMq:*</c>), for the given broker user.</summary>
    public static IResourceBuilder<ProjectResource> WithBroker(
        this IResourceBuilder<ProjectResource> project, AppHostSettings settings, string user, IResourceBuilder<ParameterResource> password) =>
        project
            .WithEnvironment("RabbitMq__Host", settings.RabbitHost)
            .WithEnvironment("RabbitMq__Port", settings.RabbitPort.ToString())
            .WithEnvironment("RabbitMq__VirtualHost", settings.RabbitVirtualHost)
            .WithEnvironment("RabbitMq__Username", user)
            .WithEnvironment("RabbitMq__Password", password);
}
