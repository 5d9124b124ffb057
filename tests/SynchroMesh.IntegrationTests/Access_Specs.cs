using System.Net;
using System.Net.Http.Json;
using SynchroMesh.ServiceDefaults.Security;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// No anonymous caller: each office's API answers only the credentials it is configured with, in the role they
/// carry, and the probes stay open.
/// </summary>
public sealed class When_a_caller_reaches_an_office_s_api
{
    [Fact]
    public async Task Should_answer_only_a_known_key_in_its_role_and_leave_the_probes_open()
    {
        await using var system = await SyncSystem.StartAsync(["access"]);
        var headOffice = system.HeadOffice.Process.Http.BaseAddress!;
        var branch = system.Branch("access").Process.Http.BaseAddress!;

        using var anonymous = new HttpClient();
        foreach (var url in new[] { new Uri(headOffice, "/branches"), new Uri(headOffice, "/branches/access/products"), new Uri(headOffice, "/reports/sales"), new Uri(branch, "/sync/status"), new Uri(branch, "/products/1") })
        {
            using var response = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains(ApiKeyOptions.Header, response.Headers.WwwAuthenticate.ToString());
        }

        using (var sale = await anonymous.PostAsJsonAsync(new Uri(branch, "/products"), SaleInput.Example()))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, sale.StatusCode);
        }

        foreach (var probe in new[] { new Uri(headOffice, "/health/ready"), new Uri(branch, "/health/live") })
        {
            using var response = await anonymous.GetAsync(probe);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A key the office does not know, and the head office's reporting key at a branch.
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri(headOffice, "/branches")) { Headers = { { ApiKeyOptions.Header, ApiKeyOptions.NewKey() } } })
        using (var response = await anonymous.SendAsync(wrong))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var reportingAtBranch = new HttpRequestMessage(HttpMethod.Post, new Uri(branch, "/products"))
               {
                   Headers = { { ApiKeyOptions.Header, LabCredentials.ReportingKey } },
                   Content = JsonContent.Create(SaleInput.Example()),
               })
        using (var response = await anonymous.SendAsync(reportingAtBranch))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The till's key records a sale, the reporting key reads it at the head office.
        var created = await system.Branch("access").CreateAsync(SaleInput.Example(product: "with a key"));
        await Eventually.UntilAsync(async () => (await system.HeadOffice.GetAsync(system.Branch("access").Id, created.Id)) is not null,
            TimeSpan.FromSeconds(60), "the head office holds the sale, read with the reporting key");
    }

    [Fact]
    public async Task Should_sign_an_operator_in_through_the_form_with_its_antiforgery_token_only()
    {
        await using var system = await SyncSystem.StartAsync(["sign-in"]);
        var headOffice = system.HeadOffice.Process.Http.BaseAddress!;
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = headOffice };

        using (var response = await browser.GetAsync("/branches"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // Without the form's token (what another site's form would send): refused, and no cookie.
        using (var forged = await browser.PostAsync(HeadOfficeSignIn, Form(LabCredentials.OperatorName, LabCredentials.OperatorPassword, token: null)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        // A wrong password: back to the form, saying so.
        using (var wrong = await browser.PostAsync(HeadOfficeSignIn, Form(LabCredentials.OperatorName, "not the password", await TokenAsync(browser))))
        {
            Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
            Assert.Contains("failed=true", wrong.Headers.Location!.OriginalString);
        }

        using (var response = await browser.GetAsync("/branches"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The right one, with a return address elsewhere: signed in, sent to the console instead.
        using (var signedIn = await browser.PostAsync(HeadOfficeSignIn, Form(LabCredentials.OperatorName, LabCredentials.OperatorPassword, await TokenAsync(browser), "//evil.example/")))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal("/console", signedIn.Headers.Location!.OriginalString);
        }

        using (var response = await browser.GetAsync("/branches"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Signed out (again only with the token): the cookie no longer opens anything.
        using (var signedOut = await browser.PostAsync("/console/sign-out", new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", await TokenAsync(browser))])))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        }

        using (var response = await browser.GetAsync("/branches"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Should_keep_a_person_signed_in_at_every_replica_and_hold_back_a_password_guesser()
    {
        await using var system = await SyncSystem.StartAsync([], headOfficeReplicas: 2);
        var first = system.HeadOffice.Replicas[0].Http.BaseAddress!;
        var second = system.HeadOffice.Replicas[1].Http.BaseAddress!;

        // Signed in at one replica: the cookie and the page's token are good at the other (the keys are shared).
        using var console = await ConsoleClient.SignInAsync(first, LabCredentials.OperatorName, LabCredentials.OperatorPassword);
        using (var atSecond = await console.Http.GetAsync(new Uri(second, "/branches")))
        {
            Assert.Equal(HttpStatusCode.OK, atSecond.StatusCode);
        }

        using (var action = await console.Http.PostAsJsonAsync(new Uri(second, "/dead-messages/discard"), new { branchId = "nobody", note = "a token from the other replica" }))
        {
            Assert.Equal(HttpStatusCode.OK, action.StatusCode);
        }

        // A Basic header a browser might add by itself is no credential of ours: the cookie's action still needs its token.
        using (var browser = new HttpClient(new HttpClientHandler { CookieContainer = console.Cookies }) { BaseAddress = second })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/dead-messages/discard")
               {
                   Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz") },
                   Content = JsonContent.Create(new { branchId = "nobody", note = "no token" }),
               })
        using (var response = await browser.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        // Guessing passwords (at the replica no one has signed in at yet: each counts the tries it sees): after ten
        // tries a minute, the form answers 429 even to the right one.
        using var guesser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = second };
        var token = await TokenAsync(guesser);
        var answers = new List<HttpStatusCode>();
        for (var guess = 0; guess < 11; guess++)
        {
            using var response = await guesser.PostAsync(HeadOfficeSignIn, Form(LabCredentials.OperatorName, $"guess {guess}", token));
            answers.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Redirect, 10).Append(HttpStatusCode.TooManyRequests), answers);
        using (var right = await guesser.PostAsync(HeadOfficeSignIn, Form(LabCredentials.OperatorName, LabCredentials.OperatorPassword, token)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        }
    }

    private const string HeadOfficeSignIn = "/console/sign-in";

    private static Task<string> TokenAsync(HttpClient browser) => ConsoleClient.SignInTokenAsync(browser);

    private static FormUrlEncodedContent Form(string name, string password, string? token, string returnUrl = "/console")
    {
        var fields = new List<KeyValuePair<string, string>> { new("name", name), new("password", password), new("returnUrl", returnUrl) };
        if (token is not null)
        {
            fields.Add(new("__RequestVerificationToken", token));
        }

        return new FormUrlEncodedContent(fields);
    }
}
