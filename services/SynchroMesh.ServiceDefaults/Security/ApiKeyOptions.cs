using System.Security.Cryptography;
using System.Text;

namespace SynchroMesh.ServiceDefaults.Security;

/// <summary>
/// The clients that may call a service's HTTP API with a key of their own (a till at a branch, a reporting tool at the
/// head office), each by name: <c>Authentication:ApiKeys:{client}:Sha256</c> and <c>…:Role</c>. Only the key's
/// SHA-256 is configured, never the key: a key is 32 random bytes, so a plain hash is as good as a slow one, and the
/// configuration leaks nothing a caller could present.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Authentication:ApiKeys";

    public const string HashKey = "Sha256";

    /// <summary>The header a client sends its key in.</summary>
    public const string Header = "X-Api-Key";

    private static readonly CredentialLayout Layout = new(Section, HashKey);

    public Dictionary<string, ApiKeyClient> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>The SHA-256 of a key, as lower-case hex: what <c>Sha256</c> holds (<c>printf %s "$key" | sha256sum</c>).</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A new key for a client: 32 random bytes, URL-safe base64.</summary>
    public static string NewKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The settings that make a service accept a client's key, as environment variables (what <see cref="Read"/> reads
    /// back): <c>Authentication__ApiKeys__{client}__Sha256</c> and <c>…__Role</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> EnvironmentFor(string client, string key, string role)
        => Layout.EnvironmentFor(client, HashOf(key), role);

    /// <summary>
    /// Reads every configured client, or throws naming each setting that is wrong: a hash that is not 64 hex digits, a
    /// role this service does not know.
    /// </summary>
    public static ApiKeyOptions Read(Microsoft.Extensions.Configuration.IConfiguration configuration, IReadOnlyCollection<string> roles)
    {
        var options = new ApiKeyOptions();
        var problems = new List<string>();
        foreach (var client in configuration.GetSection(Section).GetChildren())
        {
            var setting = $"{Section}:{client.Key}";
            var hash = client[HashKey]?.Trim().ToLowerInvariant();
            var role = client[CredentialLayout.RoleKey]?.Trim();
            if (hash is null || hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            {
                problems.Add($"{setting}:Sha256 must be the SHA-256 of the client's key, 64 hex digits (printf %s \"$key\" | sha256sum).");
                continue;
            }

            if (role is null || !roles.Contains(role))
            {
                problems.Add($"{setting}:Role must be one of: {string.Join(", ", roles)}.");
                continue;
            }

            options.Clients[client.Key] = new ApiKeyClient(client.Key, Convert.FromHexString(hash), role);
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        return options;
    }

    /// <summary>The client whose key this is, or null; compares every hash in constant time.</summary>
    public ApiKeyClient? Find(string presentedKey)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        ApiKeyClient? found = null;
        foreach (var client in Clients.Values)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, client.Sha256))
            {
                found = client;
            }
        }

        return found;
    }
}

/// <summary>One client's key (its SHA-256) and the role it acts in.</summary>
public sealed record ApiKeyClient(string Name, byte[] Sha256, string Role);
