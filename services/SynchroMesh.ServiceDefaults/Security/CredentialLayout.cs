namespace SynchroMesh.ServiceDefaults.Security;

/// <summary>
/// Where one kind of credential is configured, each by name: <c>{Section}:{name}:{HashKey}</c> holds its hash and
/// <c>{Section}:{name}:Role</c> its role. The configuration holds hashes only, never a secret a caller could present.
/// </summary>
public sealed record CredentialLayout(string Section, string HashKey)
{
    public const string RoleKey = "Role";

    /// <summary>One credential's settings as environment variables (<c>{Section}__{name}__{HashKey}</c> and <c>…__Role</c>).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(string name, string hash, string role)
    {
        var prefix = Setting.EnvironmentName($"{Section}:{name}:");
        return new Dictionary<string, string> { [$"{prefix}{HashKey}"] = hash, [$"{prefix}{RoleKey}"] = role };
    }
}
