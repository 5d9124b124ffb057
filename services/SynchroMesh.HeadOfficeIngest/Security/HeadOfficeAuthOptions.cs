namespace SynchroMesh.HeadOfficeIngest.Security;

/// <summary>
/// How people and programs sign in to the head office (section <c>Authentication</c>), read and checked at start:
/// a wrong entry stops the service with a message naming the setting, and so does a head office no one could sign in
/// to. Keys of reporting clients are <see cref="ApiKeyOptions"/>.
/// </summary>
public sealed class HeadOfficeAuthOptions
{
    /// <summary>Local accounts (<c>Authentication:Operators:{name}:PasswordHash</c> and <c>…:Role</c>), for a demo, tests, or a site with no identity provider.</summary>
    public required IReadOnlyDictionary<string, OperatorAccount> Operators { get; init; }

    /// <summary>The identity provider people sign in with (<c>Authentication:Oidc</c>), or none.</summary>
    public OidcSettings? Oidc { get; init; }

    /// <summary>The authority whose bearer tokens reporting clients bring (<c>Authentication:Jwt</c>), or none.</summary>
    public JwtSettings? Jwt { get; init; }

    public required ApiKeyOptions ApiKeys { get; init; }

    /// <summary>The roles a person or client may hold at the head office, the one that may do most first.</summary>
    public static readonly IReadOnlyList<string> KnownRoles = [Roles.Operator, Roles.Viewer, Roles.Reporting];

    public static HeadOfficeAuthOptions Read(IConfiguration configuration)
    {
        var problems = new List<string>();
        var operators = new Dictionary<string, OperatorAccount>(StringComparer.Ordinal);
        foreach (var account in configuration.GetSection(OperatorPasswords.Section).GetChildren())
        {
            var setting = $"{OperatorPasswords.Section}:{account.Key}";
            var hash = account[OperatorPasswords.HashKey];
            var role = account[CredentialLayout.RoleKey] ?? Roles.Operator;
            if (hash is null || !OperatorPasswords.IsHash(hash))
            {
                problems.Add($"{setting}:PasswordHash must be a password hash made by `SynchroMesh.Admin hash-password` (never the password itself).");
            }
            else if (role is not (Roles.Operator or Roles.Viewer))
            {
                problems.Add($"{setting}:Role must be {Roles.Operator} or {Roles.Viewer}.");
            }
            else
            {
                operators[account.Key] = new OperatorAccount(account.Key, hash, role);
            }
        }

        var oidc = configuration.GetSection(OidcSettings.Section);
        OidcSettings? oidcSettings = null;
        if (ReadAuthority(oidc, "the identity provider's issuer", "ClientId", "", problems) is (var oidcAuthority, var clientId))
        {
            oidcSettings = new OidcSettings(
                oidcAuthority,
                clientId,
                oidc["ClientSecret"],
                oidc["RoleClaim"] ?? "roles",
                oidc["OperatorRole"] ?? "synchromesh-operator",
                oidc["ViewerRole"] ?? "synchromesh-viewer",
                oidc["DisplayName"] ?? "single sign-on");
        }

        var jwt = configuration.GetSection(JwtSettings.Section);
        JwtSettings? jwtSettings = null;
        if (ReadAuthority(jwt, "the token issuer", "Audience", " (the head office's API identifier)", problems) is (var jwtAuthority, var audience))
        {
            jwtSettings = new JwtSettings(jwtAuthority, audience);
        }

        ApiKeyOptions? apiKeys = null;
        try
        {
            apiKeys = ApiKeyOptions.Read(configuration, KnownRoles);
        }
        catch (InvalidOperationException e)
        {
            problems.Add(e.Message);
        }

        if (problems.Count == 0 && operators.Count == 0 && oidcSettings is null && jwtSettings is null && apiKeys!.Clients.Count == 0)
        {
            problems.Add($"No one could sign in to the head office: configure {OidcSettings.Section}, {OperatorPasswords.Section}, " +
                         $"{JwtSettings.Section} or {ApiKeyOptions.Section} (see docs/security.md).");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        return new HeadOfficeAuthOptions { Operators = operators, Oidc = oidcSettings, Jwt = jwtSettings, ApiKeys = apiKeys! };
    }

    /// <summary>
    /// A section's <c>Authority</c> (an absolute URL) and the setting it requires beside it; null when the section sets no
    /// authority, or, with a problem added, when either is wrong.
    /// </summary>
    private static (Uri Authority, string Required)? ReadAuthority(
        IConfigurationSection section, string authorityIs, string required, string requiredIs, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(section["Authority"]))
        {
            return null;
        }

        if (!Uri.TryCreate(section["Authority"], UriKind.Absolute, out var authority))
        {
            problems.Add($"{section.Path}:Authority must be an absolute URL ({authorityIs}).");
            return null;
        }

        if (string.IsNullOrWhiteSpace(section[required]))
        {
            problems.Add($"{section.Path}:{required} is required when {section.Path}:Authority is set{requiredIs}.");
            return null;
        }

        return (authority, section[required]!);
    }
}

public sealed record OperatorAccount(string Name, string PasswordHash, string Role);

/// <param name="RoleClaim">The claim of the ID token that lists the person's groups or roles.</param>
/// <param name="OperatorRole">The value of <paramref name="RoleClaim"/> that makes a person an operator.</param>
/// <param name="ViewerRole">The value that makes a person a viewer.</param>
/// <param name="DisplayName">What the sign-in page calls the identity provider.</param>
public sealed record OidcSettings(Uri Authority, string ClientId, string? ClientSecret, string RoleClaim, string OperatorRole, string ViewerRole, string DisplayName)
{
    public const string Section = "Authentication:Oidc";
}

public sealed record JwtSettings(Uri Authority, string Audience)
{
    public const string Section = "Authentication:Jwt";
}
