using Microsoft.AspNetCore.Identity;

namespace SynchroMesh.ServiceDefaults.Security;

/// <summary>
/// Password hashes for local operator accounts: ASP.NET Core Identity's format (PBKDF2 with HMAC-SHA512, a random
/// salt, 100,000 iterations, all in one base64 string), so the configuration holds a hash and never a password.
/// </summary>
public static class OperatorPasswords
{
    /// <summary>Local operator accounts: <c>Authentication:Operators:{name}:PasswordHash</c> and <c>…:Role</c>.</summary>
    public const string Section = "Authentication:Operators";

    public const string HashKey = "PasswordHash";

    private static readonly CredentialLayout Layout = new(Section, HashKey);
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Anyone = new();

    public static string Hash(string password) => Hasher.HashPassword(Anyone, password);

    public static bool Verify(string hash, string password) =>
        Hasher.VerifyHashedPassword(Anyone, hash, password) != PasswordVerificationResult.Failed;

    /// <summary>The settings of a local account, as environment variables, its password hashed.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentFor(string name, string password, string role)
        => Layout.EnvironmentFor(name, Hash(password), role);

    /// <summary>Whether the text has the shape of a hash <see cref="Hash"/> makes (version 3, base64).</summary>
    public static bool IsHash(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var length) && length > 13 && bytes[0] == 0x01;
    }
}
