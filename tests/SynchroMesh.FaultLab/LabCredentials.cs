using SynchroMesh.ServiceDefaults.Security;

namespace SynchroMesh.FaultLab;

/// <summary>
/// The credentials of the lab's clients, made fresh for each test run (nothing in code): a till's key that every
/// branch accepts, a reporting client's key and an operator account that the head office accepts. The services are
/// configured with the key's SHA-256 and the password's hash, as an operator would configure them, and the lab's
/// HTTP clients send the keys, as a till and a reporting tool would.
/// </summary>
public static class LabCredentials
{
    public const string HeadOfficeProject = "SynchroMesh.HeadOfficeIngest";
    public const string BranchProject = "SynchroMesh.BranchOutbox";
    public const string OperatorName = "lab-operator";
    public const string ViewerName = "lab-viewer";

    public static string TillKey { get; } = ApiKeyOptions.NewKey();
    public static string ReportingKey { get; } = ApiKeyOptions.NewKey();
    public static string OperatorPassword { get; } = ApiKeyOptions.NewKey();
    public static string ViewerPassword { get; } = ApiKeyOptions.NewKey();

    private static readonly Lazy<string> OperatorHash = new(() => OperatorPasswords.Hash(OperatorPassword));
    private static readonly Lazy<string> ViewerHash = new(() => OperatorPasswords.Hash(ViewerPassword));

    /// <summary>The key a client of this service sends, or null for a project that is not one of our services.</summary>
    public static string? KeyFor(string project) => project switch
    {
        HeadOfficeProject => ReportingKey,
        BranchProject => TillKey,
        _ => null,
    };

    /// <summary>The same settings as configuration keys (<c>Authentication:ApiKeys:…</c>), for a service hosted in the test's process.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ConfigurationFor(string project) =>
        With(project, new Dictionary<string, string>()).Select(s => KeyValuePair.Create(s.Key.Replace("__", ":"), s.Value));

    /// <summary>The settings that make the service accept the lab's credentials, unless the spec gave some of its own.</summary>
    public static IReadOnlyDictionary<string, string> With(string project, IReadOnlyDictionary<string, string> environment)
    {
        if (environment.Keys.Any(k => k.StartsWith("Authentication__", StringComparison.Ordinal)))
        {
            return environment;
        }

        var settings = new Dictionary<string, string>(environment);
        switch (project)
        {
            case HeadOfficeProject:
                settings["Authentication__ApiKeys__lab-reporting__Sha256"] = ApiKeyOptions.HashOf(ReportingKey);
                settings["Authentication__ApiKeys__lab-reporting__Role"] = Roles.Reporting;
                settings[$"Authentication__Operators__{OperatorName}__PasswordHash"] = OperatorHash.Value;
                settings[$"Authentication__Operators__{OperatorName}__Role"] = Roles.Operator;
                settings[$"Authentication__Operators__{ViewerName}__PasswordHash"] = ViewerHash.Value;
                settings[$"Authentication__Operators__{ViewerName}__Role"] = Roles.Viewer;
                break;
            case BranchProject:
                settings["Authentication__ApiKeys__lab-till__Sha256"] = ApiKeyOptions.HashOf(TillKey);
                settings["Authentication__ApiKeys__lab-till__Role"] = Roles.Till;
                break;
        }

        return settings;
    }
}
