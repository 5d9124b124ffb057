using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// The head office connected to an identity provider by configuration alone: people sign in to the console through
/// it (code flow with PKCE), their role from its roles claim; reporting clients bring its bearer tokens.
/// </summary>
public sealed class When_the_head_office_trusts_an_identity_provider
{
    private const string ConsoleClientId = "synchromesh-console";
    private const string ApiAudience = "synchromesh-api";

    [Fact]
    public async Task Should_sign_people_in_through_it_with_their_role_and_take_its_tokens_for_this_audience_only()
    {
        await using var provider = await TestIdentityProvider.StartAsync();
        await using var other = await TestIdentityProvider.StartAsync();
        await using var system = await SyncSystem.StartAsync([], headOfficeSettings: new Dictionary<string, string>
        {
            ["Authentication__Oidc__Authority"] = provider.Issuer.ToString(),
            ["Authentication__Oidc__ClientId"] = ConsoleClientId,
            ["Authentication__Oidc__ClientSecret"] = Guid.NewGuid().ToString("N"),
            ["Authentication__Oidc__DisplayName"] = "Northwind sign-in",
            ["Authentication__Jwt__Authority"] = provider.Issuer.ToString(),
            ["Authentication__Jwt__Audience"] = ApiAudience,
        });
        var headOffice = system.HeadOffice.Process.Http.BaseAddress!;

        // An operator by the provider's roles claim: through the provider and back, signed in.
        provider.NextUser = ("alex", ["synchromesh-operator"]);
        using (var browser = Browser(headOffice))
        {
            var signIn = await browser.GetStringAsync("/console/sign-in");
            Assert.Contains("Sign in with Northwind sign-in", signIn);
            Assert.DoesNotContain("type=\"password\"", signIn);

            using var landed = await browser.GetAsync("/console/sign-in/sso?returnUrl=%2Fconsole");
            Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
            Assert.Equal("/console", landed.RequestMessage!.RequestUri!.AbsolutePath);
            using var session = JsonDocument.Parse(await browser.GetStringAsync("/console/api/session"));
            Assert.Equal(("alex", "operator", true), (session.RootElement.GetProperty("name").GetString(), session.RootElement.GetProperty("role").GetString(), session.RootElement.GetProperty("canAct").GetBoolean()));
            using var branches = await browser.GetAsync("/branches");
            Assert.Equal(HttpStatusCode.OK, branches.StatusCode);
        }

        // Signed in by the provider without one of our roles: refused.
        provider.NextUser = ("sam", ["payroll"]);
        using (var browser = Browser(headOffice))
        {
            using var landed = await browser.GetAsync("/console/sign-in/sso?returnUrl=%2Fconsole");
            Assert.Equal(HttpStatusCode.Forbidden, landed.StatusCode);
            using var branches = await browser.GetAsync("/branches");
            Assert.Equal(HttpStatusCode.Forbidden, branches.StatusCode);
        }

        // Bearer tokens: the provider's for this audience, yes; another audience, an expired one, another signer's, no.
        using var api = new HttpClient { BaseAddress = headOffice };
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(api, provider.Issue(ApiAudience, "report-bot")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(api, provider.Issue("another-api", "report-bot")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(api, provider.Issue(ApiAudience, "report-bot", lifetime: TimeSpan.FromMinutes(-10))));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(api, other.Issue(ApiAudience, "report-bot", issuer: provider.Issuer.ToString().TrimEnd('/'))));
    }

    private static HttpClient Browser(Uri headOffice) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = headOffice };

    private static async Task<HttpStatusCode> StatusWithTokenAsync(HttpClient api, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reports/sales");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await api.SendAsync(request);
        return response.StatusCode;
    }
}
