using System.Net;
using System.Net.Http.Json;

namespace SynchroMesh.IntegrationTests;

/// <summary>
/// Dead messages at the head office, triaged over its API as the console does it: listed with their type, branch
/// and reason; one retried once its cause is fixed (and stored), another discarded (and in the audit); only an
/// operator may act, and only with the page's token when signed in by cookie.
/// </summary>
public sealed class When_an_operator_triages_dead_messages
{
    private const string Queue = HeadOfficeTopology.SingleProductQueue;
    private static readonly string ErrorQueue = HeadOfficeTopology.ErrorQueue(Queue);

    [Fact]
    public async Task Should_list_them_with_their_reasons_retry_one_once_fixed_discard_another_and_audit_both()
    {
        await using var system = await SyncSystem.StartAsync([]);
        await Eventually.UntilAsync(() => TestServers.Management.QueueExistsAsync(system.VirtualHost, Queue), TimeSpan.FromSeconds(60), "the head office's queue exists");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var stranded = $"stranded-{suffix}";
        var broken = $"broken-{suffix}";

        // A sale that fails for a cause outside it: the head office's table is away.
        await system.HeadOffice.ExecuteAsync("ALTER TABLE head_office.products RENAME TO products_away");
        await TestServers.Management.PublishRawAsync(system.VirtualHost, Queue, RawMessages.Envelope(RawMessages.Product(stranded, "2026-11-25")), RawMessages.ContentType, userId: new BranchTopology(stranded).User);
        // A sale that is wrong in itself.
        await TestServers.Management.PublishRawAsync(system.VirtualHost, Queue, RawMessages.Envelope(RawMessages.Product(broken, "1890-01-01")), RawMessages.ContentType, userId: new BranchTopology(broken).User);

        var dead = await Eventually.ValueAsync(async () =>
            {
                var listed = await system.HeadOffice.DeadMessagesAsync($"queue={ErrorQueue}");
                return listed.Length == 2 ? listed : null;
            }, TimeSpan.FromSeconds(90), "both messages are listed in the error queue");
        var strandedMessage = Assert.Single(dead, m => m.BranchId == stranded);
        var brokenMessage = Assert.Single(dead, m => m.BranchId == broken);
        Assert.Equal("ProductSubmitted", strandedMessage.MessageType);
        Assert.Contains("products", strandedMessage.Reason);
        Assert.Contains("date", brokenMessage.Reason);
        Assert.Null(strandedMessage.Body);
        Assert.NotNull(strandedMessage.FailedAt);

        // The body on request; the alert fires for the error queue.
        var withBody = await system.HeadOffice.Process.Http.GetFromJsonAsync<DeadMessageView>($"/dead-messages/{strandedMessage.MessageId}?queue={ErrorQueue}");
        Assert.Contains(stranded, withBody!.Body);
        var alerts = await Eventually.ValueAsync(async () =>
            {
                var report = await system.HeadOffice.AlertsAsync();
                // The management API's figures are a few seconds old: wait for both.
                return report.Alerts.Any(a => a.Kind == "dead-messages" && a.Subject == ErrorQueue && a.Value == 2) ? report : null;
            }, TimeSpan.FromSeconds(30), "the dead-messages alert fires for the error queue's two messages");
        Assert.Equal(2, alerts.DeadMessages);

        var headOffice = system.HeadOffice.Process.Http.BaseAddress!;
        // Not an operator: a reporting client's key, a viewer; and an operator's cookie without the page's token.
        using (var reporting = await system.HeadOffice.Process.Http.PostAsJsonAsync("/dead-messages/retry", new { branchId = stranded, note = "not mine to do" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, reporting.StatusCode);
        }

        using (var viewer = await ConsoleClient.SignInAsync(headOffice, LabCredentials.ViewerName, LabCredentials.ViewerPassword))
        using (var refused = await viewer.ActAsync("retry", new { branchId = stranded, note = "a viewer tries" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var operatorConsole = await ConsoleClient.SignInAsync(headOffice, LabCredentials.OperatorName, LabCredentials.OperatorPassword);
        using (var forged = new HttpClient(new HttpClientHandler { CookieContainer = CookiesOf(operatorConsole, headOffice) }) { BaseAddress = headOffice })
        using (var response = await forged.PostAsJsonAsync("/dead-messages/retry", new { branchId = stranded, note = "from another site" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using (var noNote = await operatorConsole.ActAsync("discard", new { branchId = broken }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        }

        // Retried before the cause is fixed: it fails again and is back in the error queue, with its reason.
        var early = await ActAsync(operatorConsole, "retry", new { messageId = strandedMessage.MessageId, note = "first try" });
        Assert.Equal(strandedMessage.MessageId, Assert.Single(early.Done).MessageId);
        await Eventually.UntilAsync(async () => (await system.HeadOffice.DeadMessagesAsync($"branchId={stranded}")).Any(m => m.Reason.Contains("products")),
            TimeSpan.FromSeconds(90), "the retried message failed again and is back in the error queue");

        // Fixed, retried again: stored.
        await system.HeadOffice.ExecuteAsync("ALTER TABLE head_office.products_away RENAME TO products");
        var retried = await ActAsync(operatorConsole, "retry", new { branchId = stranded, note = "table restored" });
        Assert.Single(retried.Done);
        Assert.Empty(retried.Failed);
        await Eventually.UntilAsync(async () => await system.HeadOffice.GetAsync(stranded, 1) is not null,
            TimeSpan.FromSeconds(60), "the retried sale is stored", () => Task.FromResult(system.HeadOffice.Process.RecentLog));

        // The wrong one discarded: gone from the queue, kept in the audit with who, why and its body.
        var discarded = await ActAsync(operatorConsole, "discard", new { queue = ErrorQueue, branchId = broken, note = "a date from 1890: the till's clock" });
        Assert.Equal(brokenMessage.MessageId, Assert.Single(discarded.Done).MessageId);
        await Eventually.UntilAsync(async () => (await system.HeadOffice.DeadMessagesAsync($"queue={ErrorQueue}")).Length == 0,
            TimeSpan.FromSeconds(30), "the error queue is empty");
        Assert.Empty(await system.HeadOffice.ListAsync(broken));

        var audit = await system.HeadOffice.DeadMessageAuditAsync();
        Assert.Equal(["discarded", "retried", "retried"], audit.Take(3).Select(a => a.Action));
        Assert.All(audit.Take(3), a => Assert.Equal(LabCredentials.OperatorName, a.Actor));
        var discard = audit[0];
        Assert.Equal((brokenMessage.MessageId, broken, "a date from 1890: the till's clock"), (discard.MessageId, discard.BranchId, discard.Note));
        Assert.Contains("date", discard.FaultReason);
        Assert.Contains("1890-01-01", await system.HeadOffice.ScalarAsync<string>(
            "SELECT body FROM head_office.dead_message_audit WHERE message_id = @id AND action = 'discarded'", ("id", brokenMessage.MessageId)));
    }

    [Fact]
    public async Task Should_list_and_discard_messages_whose_envelope_cannot_be_read()
    {
        await using var system = await SyncSystem.StartAsync([]);
        await Eventually.UntilAsync(() => TestServers.Management.QueueExistsAsync(system.VirtualHost, Queue), TimeSpan.FromSeconds(60), "the head office's queue exists");
        // A type that is a number, and an id with a lone surrogate (JSON may carry it, text cannot).
        await TestServers.Management.PublishRawAsync(system.VirtualHost, Queue, $$$"""{"messageId":"{{{Guid.NewGuid()}}}","messageType":[1],"message":{}}""", RawMessages.ContentType);
        await TestServers.Management.PublishRawAsync(system.VirtualHost, Queue, """{"messageId":"\ud800","messageType":["urn:message:SynchroMesh.Contracts:ProductSubmitted"],"message":{}}""", RawMessages.ContentType);

        var dead = await Eventually.ValueAsync(async () =>
            {
                var listed = await system.HeadOffice.DeadMessagesAsync($"queue={ErrorQueue}");
                return listed.Length == 2 ? listed : null;
            }, TimeSpan.FromSeconds(90), "both are listed");
        Assert.Contains(dead, m => m.MessageType == "unreadable");
        Assert.Contains(dead, m => m.MessageId.StartsWith("sha256-", StringComparison.Ordinal));

        using var console = await ConsoleClient.SignInAsync(system.HeadOffice.Process.Http.BaseAddress!, LabCredentials.OperatorName, LabCredentials.OperatorPassword);
        foreach (var message in dead)
        {
            var discarded = await ActAsync(console, "discard", new { queue = ErrorQueue, messageId = message.MessageId, note = "an envelope no one can read" });
            Assert.Equal(message.MessageId, Assert.Single(discarded.Done).MessageId);
        }

        Assert.Empty(await system.HeadOffice.DeadMessagesAsync($"queue={ErrorQueue}"));
        Assert.Equal(2, (await system.HeadOffice.DeadMessageAuditAsync()).Count(a => a.Action == "discarded"));
    }

    [Fact]
    public async Task Should_say_the_broker_cannot_be_read_when_its_management_api_does_not_answer()
    {
        await using var system = await SyncSystem.StartAsync([], headOfficeSettings: new Dictionary<string, string>
        {
            ["DeadLetters__ManagementUrl"] = $"http://127.0.0.1:{LocalPorts.Next()}",
        });

        using var response = await system.HeadOffice.Process.Http.GetAsync("/dead-messages");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("The error queues could not be read", await response.Content.ReadAsStringAsync());
        var report = await system.HeadOffice.AlertsAsync();
        Assert.Contains(report.Alerts, a => a.Kind == "check-failed" && a.Subject == "error queues");
    }

    private static async Task<DeadMessageActionView> ActAsync(ConsoleClient console, string action, object request)
    {
        using var response = await console.ActAsync(action, request);
        Assert.True(response.IsSuccessStatusCode, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<DeadMessageActionView>())!;
    }

    /// <summary>The operator's cookies alone, in a client that sends no token: what another site's page would make a browser send.</summary>
    private static CookieContainer CookiesOf(ConsoleClient console, Uri headOffice)
    {
        var copy = new CookieContainer();
        copy.Add(console.Cookies.GetCookies(headOffice));
        return copy;
    }
}
