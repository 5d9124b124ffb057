using Microsoft.Extensions.Configuration;
using SynchroMesh.ServiceDefaults.Security;

namespace SynchroMesh.AppHost;

/// <summary>
/// The credentials of the offices' HTTP APIs for an AppHost run: a till's key for every branch, a reporting client's
/// key and the local operator <c>operator</c>'s password for the head office. Each is the parameter of its name when
/// configured (<c>Parameters:till-key</c> …), or made for the run.
/// </summary>
public sealed class ApiCredentials
{
    public const string TillKeyParameter = "till-key";
    public const string ReportingKeyParameter = "reporting-key";
    public const string OperatorPasswordParameter = "operator-password";
    public const string OperatorName = "operator";

    public required string TillKey { get; init; }
    public required string ReportingKey { get; init; }
    public required string OperatorPassword { get; init; }

    public static ApiCredentials From(IConfiguration configuration) => new()
    {
        TillKey = configuration[$"Parameters:{TillKeyParameter}"] ?? ApiKeyOptions.NewKey(),
        ReportingKey = configuration[$"Parameters:{ReportingKeyParameter}"] ?? ApiKeyOptions.NewKey(),
        OperatorPassword = configuration[$"Parameters:{OperatorPasswordParameter}"] ?? ApiKeyOptions.NewKey(),
    };

    /// <summary>The head office's settings: the reporting key's hash and the operator's password hash.</summary>
    public void HeadOfficeSettings(EnvironmentCallbackContext context) => Add(context,
    [
        .. ApiKeyOptions.EnvironmentFor("reporting", ReportingKey, Roles.Reporting),
        .. OperatorPasswords.EnvironmentFor(OperatorName, OperatorPassword, Roles.Operator),
    ]);

    /// <summary>A branch's settings: the till key's hash.</summary>
    public void BranchSettings(EnvironmentCallbackContext context) =>
        Add(context, ApiKeyOptions.EnvironmentFor("till", TillKey, Roles.Till));

    private static void Add(EnvironmentCallbackContext context, IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach (var (name, value) in settings)
        {
            context.EnvironmentVariables[name] = value;
        }
    }
}
