namespace SynchroMesh.ServiceDefaults.Security;

/// <summary>
/// The secrets of a network's HTTP clients: a till's key that every branch accepts, and a reporting client's key and
/// an operator's password that the head office accepts. The offices are configured with the key's SHA-256 and the
/// password's hash (<see cref="HeadOfficeSettings"/>, <see cref="BranchSettings"/>), as an operator would configure
/// them; the clients present the secrets.
/// </summary>
public sealed class OfficeCredentials
{
    /// <summary>The client name the till's key is configured under (<c>Authentication:ApiKeys:till</c>).</summary>
    public const string TillClient = "till";

    /// <summary>The client name the reporting key is configured under (<c>Authentication:ApiKeys:reporting</c>).</summary>
    public const string ReportingClient = "reporting";

    public required string TillKey { get; init; }
    public required string ReportingKey { get; init; }
    public required string OperatorName { get; init; }
    public required string OperatorPassword { get; init; }

    /// <summary>Random secrets for a run that was given none.</summary>
    public static OfficeCredentials New(string operatorName) => new()
    {
        TillKey = ApiKeyOptions.NewKey(),
        ReportingKey = ApiKeyOptions.NewKey(),
        OperatorName = operatorName,
        OperatorPassword = ApiKeyOptions.NewKey(),
    };

    /// <summary>
    /// The head office's settings, as environment variables: the reporting key's hash and the operator's password hash
    /// (slow to make on purpose, so a caller that needs them often keeps them).
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> HeadOfficeSettings() =>
    [
        .. ApiKeyOptions.EnvironmentFor(ReportingClient, ReportingKey, Roles.Reporting),
        .. OperatorPasswords.EnvironmentFor(OperatorName, OperatorPassword, Roles.Operator),
    ];

    /// <summary>A branch's settings, as environment variables: the till key's hash.</summary>
    public IEnumerable<KeyValuePair<string, string>> BranchSettings() => ApiKeyOptions.EnvironmentFor(TillClient, TillKey, Roles.Till);
}
