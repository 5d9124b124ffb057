using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SynchroMesh.Broker;
using static Microsoft.Playwright.Assertions;

namespace SynchroMesh.Console.Tests;

/// <summary>
/// The head office and three branches on the real servers, each branch behind a link a spec can cut, and headless
/// Chromium on the console as an operator uses it.
/// </summary>
public sealed class ConsoleSystem : IAsyncLifetime
{
    public static readonly string[] Branches = ["north", "south", "east"];

    /// <summary>Heartbeats this often: a branch whose link is cut looks offline after three missed, about 6 s.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    public SyncSystem System { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri HeadOffice => System.HeadOffice.Process.Http.BaseAddress!;

    public async Task InitializeAsync()
    {
        System = await SyncSystem.StartAsync(Branches, broker: new BrokerOptions(BehindLinks: true),
            branchSettings: new Dictionary<string, string> { ["Sync__HeartbeatInterval"] = HeartbeatInterval.ToString("c") },
            // A sample of each branch's backlog every heartbeat, so that its chart has a line to draw.
            headOfficeSettings: new Dictionary<string, string> { ["Console__HistoryInterval"] = "00:00:01" });
        foreach (var name in Branches)
        {
            for (var i = 0; i < 3; i++)
            {
                await System.Branch(name).CreateAsync(SaleInput.Example(product: $"{name} sale {i}"));
            }
        }

        foreach (var name in Branches)
        {
            await System.Branch(name).WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        }

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("SYNCHROMESH_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
        SetDefaultExpectTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        await System.DisposeAsync();
    }

    /// <summary>A fresh browser signed in at the console as the lab's operator.</summary>
    public async Task<IPage> SignedInPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = HeadOffice.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console");
        await page.GetByLabel("Name").FillAsync(LabCredentials.OperatorName);
        await page.GetByLabel("Password").FillAsync(LabCredentials.OperatorPassword);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        return page;
    }
}

public sealed class When_an_operator_opens_the_console(ConsoleSystem offices) : IClassFixture<ConsoleSystem>
{
    [Fact]
    public async Task Should_send_an_anonymous_visit_to_sign_in_and_refuse_an_anonymous_api_call()
    {
        var context = await offices.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = offices.HeadOffice.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console");
        await Expect(page).ToHaveURLAsync(new Regex("/console/sign-in\\?ReturnUrl=%2Fconsole"));
        await Expect(page.GetByLabel("Password")).ToBeVisibleAsync();

        var api = await page.APIRequest.GetAsync("/branches");
        Assert.Equal((int)HttpStatusCode.Unauthorized, api.Status);

        // A wrong password says so and opens nothing.
        await page.GetByLabel("Name").FillAsync(LabCredentials.OperatorName);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        Assert.Equal((int)HttpStatusCode.Unauthorized, (await page.APIRequest.GetAsync("/branches")).Status);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Should_list_every_branch_and_show_a_cut_one_offline_within_the_heartbeat_window_and_back()
    {
        var page = await offices.SignedInPageAsync();
        var rows = page.Locator("#branches tbody tr");
        await Expect(rows).ToHaveCountAsync(ConsoleSystem.Branches.Length);
        foreach (var name in ConsoleSystem.Branches)
        {
            var row = page.Locator($"#branches tr[data-branch='{offices.System.Branch(name).Id}']");
            await Expect(row.Locator("td.status")).ToContainTextAsync("online");
            await Expect(row.Locator("td").Nth(7)).ToHaveTextAsync("3");
        }

        await Expect(page.Locator("#branches-online")).ToHaveTextAsync("3 of 3");
        await Expect(page.Locator("#rows-today")).ToHaveTextAsync("9");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.Path("console.png"), FullPage = true });

        // Three missed heartbeats: offline, first in the list; the page changes by itself, without a reload.
        var south = offices.System.Branch("south");
        var southRow = page.Locator($"#branches tr[data-branch='{south.Id}']");
        south.Link.Cut();
        try
        {
            await Expect(southRow.Locator("td.status")).ToContainTextAsync("offline", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
            await Expect(rows.First).ToHaveAttributeAsync("data-branch", south.Id);
            await Expect(page.Locator("#branches-online")).ToHaveTextAsync("2 of 3");
        }
        finally
        {
            south.Link.Restore();
        }

        await Expect(southRow.Locator("td.status")).ToContainTextAsync("online", new LocatorAssertionsToContainTextOptions { Timeout = 90_000 });
        await Expect(page.Locator("#branches-online")).ToHaveTextAsync("3 of 3", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });

        // One branch's page: its status and its chart of the heartbeats kept.
        await southRow.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/console/branches/{south.Id}$"));
        await Expect(page.Locator("#status")).ToContainTextAsync("online");
        await Expect(page.Locator("#chart polyline.backlog")).ToHaveCountAsync(1);
        // A line through the samples kept while the branch spoke, before and after its silence.
        Assert.True(await page.Locator("#chart circle.backlog").CountAsync() >= 3, "the chart shows three samples or more");
        await Expect(page.Locator("#batches tbody tr")).Not.ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.Path("branch.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Should_retry_a_dead_message_once_its_cause_is_fixed_and_discard_another_into_the_audit()
    {
        var system = offices.System;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var stranded = $"stranded-{suffix}";
        var broken = $"broken-{suffix}";
        const string queue = HeadOfficeTopology.SingleProductQueue;

        await offices.System.HeadOffice.ExecuteAsync("ALTER TABLE head_office.products RENAME TO products_away");
        try
        {
            await TestServers.Management.PublishRawAsync(system.VirtualHost, queue, RawMessages.Envelope(RawMessages.Product(stranded, "2026-11-25")), RawMessages.ContentType, userId: new BranchTopology(stranded).User);
        }
        catch
        {
            await offices.System.HeadOffice.ExecuteAsync("ALTER TABLE head_office.products_away RENAME TO products");
            throw;
        }

        await TestServers.Management.PublishRawAsync(system.VirtualHost, queue, RawMessages.Envelope(RawMessages.Product(broken, "1890-01-01")), RawMessages.ContentType, userId: new BranchTopology(broken).User);

        var page = await offices.SignedInPageAsync();
        var strandedRow = page.Locator($"#dead-messages tr[data-branch='{stranded}']");
        var brokenRow = page.Locator($"#dead-messages tr[data-branch='{broken}']");
        await Expect(strandedRow.Locator("td.reason")).ToContainTextAsync("products", new LocatorAssertionsToContainTextOptions { Timeout = 90_000 });
        await Expect(brokenRow.Locator("td.reason")).ToContainTextAsync("date", new LocatorAssertionsToContainTextOptions { Timeout = 90_000 });
        await Expect(page.Locator("#alerts [data-kind='dead-messages']")).ToBeVisibleAsync();

        // The cause fixed, the message retried: gone from the list, stored.
        await offices.System.HeadOffice.ExecuteAsync("ALTER TABLE head_office.products_away RENAME TO products");
        await page.Locator("#action-note").FillAsync("table restored");
        await strandedRow.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Retry" }).ClickAsync();
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("1 retried");
        await Eventually.UntilAsync(async () => await system.HeadOffice.GetAsync(stranded, 1) is not null, TimeSpan.FromSeconds(60), "the retried sale is stored");
        await Expect(strandedRow).ToHaveCountAsync(0);

        // The wrong one discarded: in the audit, with who and why.
        await page.Locator("#action-note").FillAsync("a date from 1890: the till's clock");
        await brokenRow.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Discard" }).ClickAsync();
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("1 discarded");
        await Expect(brokenRow).ToHaveCountAsync(0);
        var audit = page.Locator("#audit tbody tr[data-action='discarded']").First;
        await Expect(audit).ToContainTextAsync(LabCredentials.OperatorName);
        await Expect(audit).ToContainTextAsync("a date from 1890: the till's clock");
        await Expect(audit).ToContainTextAsync(broken);
        Assert.Empty(await system.HeadOffice.ListAsync(broken));
        await page.Context.CloseAsync();
    }
}

/// <summary>
/// Where the specs' screenshots go: TestResults/screenshots, and with <c>SYNCHROMESH_UPDATE_SCREENSHOTS=1</c> also
/// docs/images, where the README shows them.
/// </summary>
public static class Screenshots
{
    public static string Path(string name)
    {
        var folder = Environment.GetEnvironmentVariable("SYNCHROMESH_UPDATE_SCREENSHOTS") == "1"
            ? System.IO.Path.Combine(RepositoryRoot.Path, "docs", "images")
            : System.IO.Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return System.IO.Path.Combine(folder, name);
    }
}
