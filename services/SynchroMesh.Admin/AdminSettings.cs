using SynchroMesh.Broker;

namespace SynchroMesh.Admin;

/// <summary>Where the broker is and who administers it: from the environment, so no secret ever sits on a command line.</summary>
public sealed record AdminSettings(Uri ManagementUrl, string AdminUser, string AdminPassword, string AmqpHost, int AmqpPort)
{
    public const string ManagementUrlVariable = "RABBITMQ_MANAGEMENT_URL";
    public const string AdminUserVariable = "RABBITMQ_ADMIN_USER";
    public const string AdminPasswordVariable = "RABBITMQ_ADMIN_PASSWORD";
    public const string AmqpHostVariable = "RABBITMQ_AMQP_HOST";
    public const string AmqpPortVariable = "RABBITMQ_AMQP_PORT";
    public const string BranchPasswordVariable = "BRANCH_RABBIT_PASSWORD";
    public const string DefaultManagementUrl = RabbitManagementClient.LocalUrl;

    /// <summary>Reads and checks the settings; throws naming the variable that is missing or wrong.</summary>
    public static AdminSettings From(Func<string, string?> environment)
    {
        var urlText = Value(environment, ManagementUrlVariable) ?? DefaultManagementUrl;
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new AdminSettingsException($"{ManagementUrlVariable} '{urlText}' is not an http or https URL (e.g. {DefaultManagementUrl})");
        }

        var user = Value(environment, AdminUserVariable)
                   ?? throw new AdminSettingsException($"{AdminUserVariable} is not set: the management API's administrator");
        var password = Value(environment, AdminPasswordVariable)
                       ?? throw new AdminSettingsException($"{AdminPasswordVariable} is not set: the password of {user}");
        var portText = Value(environment, AmqpPortVariable) ?? "5672";
        if (!int.TryParse(portText, out var port) || port is < 1 or > 65535)
        {
            throw new AdminSettingsException($"{AmqpPortVariable} '{portText}' is not a port (1 to 65535)");
        }

        return new AdminSettings(url, user, password, Value(environment, AmqpHostVariable) ?? url.Host, port);
    }

    private static string? Value(Func<string, string?> environment, string name) =>
        environment(name) is { Length: > 0 } value ? value : null;

    public override string ToString() => $"{AdminUser} at {ManagementUrl}";
}

/// <summary>A setting of the admin tool that is missing or wrong.</summary>
public sealed class AdminSettingsException(string message) : Exception(message);
