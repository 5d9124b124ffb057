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
    public const string ViewerName = "lab-viewer";

    /// <summary>The till's and reporting client's keys and the operator's account.</summary>
    public static OfficeCredentials Office { get; } = OfficeCredentials.New("lab-operator");

    public static string TillKey => Office.TillKey;
    public static string ReportingKey => Office.ReportingKey;
    public static string OperatorName => Office.OperatorName;
    public static string OperatorPassword => Office.OperatorPassword;
    public static string ViewerPassword { get; } = ApiKeyOptions.NewKey();

    /// <summary>The head office's settings for the lab's clients, made once: hashing a password takes a while on purpose.</summary>
    private static readonly Lazy<KeyValuePair<string, string>[]> HeadOfficeSettings = new(() =>
    [
        .. Office.HeadOfficeSettings(),
        .. OperatorPasswords.EnvironmentFor(ViewerName, ViewerPassword, Roles.Viewer),
    ]);

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
        IEnumerable<KeyValuePair<string, string>> credentials = project switch
        {
            HeadOfficeProject => HeadOfficeSettings.Value,
            BranchProject => Office.BranchSettings(),
            _ => [],
        };
        foreach (var (name, value) in credentials)
        {
            settings[name] = value;
        }

        return settings;
    }
}
