using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SynchroMesh.FaultLab;

/// <summary>
/// A person at the head office's console, over HTTP: signed in through the sign-in form (its antiforgery token
/// included) with the cookie it gets, and sending the page's token with each action, as the console's script does.
/// </summary>
public sealed partial class ConsoleClient : IDisposable
{
    private ConsoleClient(HttpClient http, CookieContainer cookies)
    {
        Http = http;
        Cookies = cookies;
    }

    public HttpClient Http { get; }

    /// <summary>The cookies the head office gave the person's browser: the session and the antiforgery cookie.</summary>
    public CookieContainer Cookies { get; }

    public static async Task<ConsoleClient> SignInAsync(Uri headOffice, string name, string password)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = headOffice,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var token = await SignInTokenAsync(http);
        using var signedIn = await http.PostAsync("/console/sign-in", new FormUrlEncodedContent(
            [new("name", name), new("password", password), new("returnUrl", "/console"), new("__RequestVerificationToken", token)]));
        if (signedIn.StatusCode != HttpStatusCode.Redirect || signedIn.Headers.Location?.OriginalString != "/console")
        {
            throw new InvalidOperationException($"{name} was not signed in: {(int)signedIn.StatusCode} to {signedIn.Headers.Location}");
        }

        using var session = JsonDocument.Parse(await http.GetStringAsync("/console/api/session"));
        http.DefaultRequestHeaders.Add(session.RootElement.GetProperty("antiforgeryHeader").GetString()!, session.RootElement.GetProperty("antiforgeryToken").GetString());
        return new ConsoleClient(http, cookies);
    }

    /// <summary>The antiforgery token of the sign-in page's form, as a browser gets it (with its cookie) before posting the form.</summary>
    public static async Task<string> SignInTokenAsync(HttpClient browser)
    {
        var form = await browser.GetStringAsync("/console/sign-in");
        return TokenField().Match(form) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"the sign-in page has no antiforgery token: {form}");
    }

    /// <summary>Retries or discards (<paramref name="action"/> "retry" or "discard") the dead messages that match.</summary>
    public Task<HttpResponseMessage> ActAsync(string action, object request) => Http.PostAsJsonAsync($"/dead-messages/{action}", request);

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
