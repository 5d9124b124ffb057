using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SynchroMesh.FaultLab;

/// <summary>
/// A small OpenID Connect provider on loopback, for the specs of the head office's sign-in: discovery, its signing
/// key, the authorization code flow with PKCE (it signs in <see cref="NextUser"/> without asking), and tokens of
/// reporting clients (<see cref="Issue"/>). What a company's identity platform does, reduced to what the protocol
/// needs.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
    private readonly ConcurrentDictionary<string, (string ClientId, string Nonce, string Challenge, string RedirectUri, (string Name, string[] Roles) User)> _codes = new();

    private TestIdentityProvider(WebApplication app, Uri issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    public Uri Issuer { get; }

    /// <summary>Who the next sign-in at the authorization endpoint is: a name and the values of its <c>roles</c> claim.</summary>
    public (string Name, string[] Roles) NextUser { get; set; } = ("alex", []);

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var port = LocalPorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new TestIdentityProvider(app, new Uri($"http://127.0.0.1:{port}"));
        provider.Map(app);
        await app.StartAsync();
        return provider;
    }

    /// <summary>A token this provider signs, as a reporting client would get one for <paramref name="audience"/>.</summary>
    public string Issue(string audience, string subject, TimeSpan? lifetime = null, string? issuer = null) =>
        Sign(audience, issuer ?? Issuer.ToString().TrimEnd('/'), new Dictionary<string, object> { ["sub"] = subject }, lifetime ?? TimeSpan.FromMinutes(5));

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private string Sign(string audience, string issuer, Dictionary<string, object> claims, TimeSpan lifetime) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow.AddMinutes(-15),
            Expires = DateTime.UtcNow + lifetime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });

    private void Map(WebApplication app)
    {
        var issuer = Issuer.ToString().TrimEnd('/');
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = $"{issuer}/authorize",
            ["token_endpoint"] = $"{issuer}/token",
            ["jwks_uri"] = $"{issuer}/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        app.MapGet("/authorize", (HttpRequest request) =>
        {
            var query = request.Query;
            if (query["response_type"] != "code" || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
            {
                return Results.BadRequest("the code flow with PKCE (S256) only");
            }

            var code = Guid.NewGuid().ToString("N");
            _codes[code] = (query["client_id"]!, query["nonce"]!, query["code_challenge"]!, query["redirect_uri"]!, NextUser);
            var redirect = $"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"]!)}";
            return Results.Redirect(redirect);
        });
        app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant))
            {
                return Results.BadRequest(new { error = "invalid_grant" });
            }

            var verifier = form["code_verifier"].ToString();
            var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            if (challenge != grant.Challenge || form["redirect_uri"] != grant.RedirectUri || form["client_id"] != grant.ClientId)
            {
                return Results.BadRequest(new { error = "invalid_grant", error_description = "PKCE verifier, redirect or client does not match" });
            }

            var claims = new Dictionary<string, object>
            {
                ["sub"] = grant.User.Name,
                ["name"] = grant.User.Name,
                ["nonce"] = grant.Nonce,
                ["roles"] = grant.User.Roles,
            };
            return Results.Json(new
            {
                id_token = Sign(grant.ClientId, issuer, claims, TimeSpan.FromMinutes(5)),
                access_token = Guid.NewGuid().ToString("N"),
                token_type = "Bearer",
                expires_in = 300,
            });
        });
    }
}
