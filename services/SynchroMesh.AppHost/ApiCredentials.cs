using Microsoft.Extensions.Configuration;
using SynchroMesh.ServiceDefaults.Security;

namespace SynchroMesh.AppHost;

/// <summary>
/// The credentials of the offices' HTTP APIs for an AppHost run: a till's key for every branch, a reporting client's
/// key and the local operator <c>operator</c>'s password for the head office. Each is the parameter of its name when
/// configured (<c>Parameters:till-key</c> …), or made for the run.
/// </summary>
public static class ApiCredentials
{
    public const string TillKeyParameter = "till-key";
    public const string ReportingKeyParameter = "reporting-key";
    public const string OperatorPasswordParameter = "operator-password";
    public const string OperatorName = "operator";

    public static OfficeCredentials From(IConfiguration configuration) => new()
    {
        TillKey = configuration[$"Parameters:{TillKeyParameter}"] ?? ApiKeyOptions.NewKey(),
        ReportingKey = configuration[$"Parameters:{ReportingKeyParameter}"] ?? ApiKeyOptions.NewKey(),
        OperatorName = OperatorName,
        OperatorPassword = configuration[$"Parameters:{OperatorPasswordParameter}"] ?? ApiKeyOptions.NewKey(),
    };

    /// <summary>Sets the settings (<see cref="OfficeCredentials.HeadOfficeSettings"/> …) on a resource's environment.</summary>
    public static void Add(this EnvironmentCallbackContext context, IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach (var (name, value) in settings)
        {
            context.EnvironmentVariables[name] = value;
        }
    }
}
