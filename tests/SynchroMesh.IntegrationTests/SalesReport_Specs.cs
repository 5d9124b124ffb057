using System.Net;
using System.Text.Json;

namespace SynchroMesh.IntegrationTests;

public sealed class When_a_manager_reads_the_sales_report
{
    private sealed record Line(string Branch, DateOnly Date, string Product, string Region, uint Qty, decimal Cost, float Tax)
    {
        public decimal Amount => Qty * Cost;
        public decimal TaxAmount => Math.Round(Amount * (decimal)Tax, 4);
    }

    [Fact]
    public async Task Should_total_the_live_sales_of_every_branch_by_the_grouping_asked()
    {
        await using var system = await SyncSystem.StartAsync(["rep-a", "rep-b"]);
        var a = system.Branch("rep-a");
        var b = system.Branch("rep-b");
        var nov24 = new DateOnly(2026, 11, 24);
        var nov25 = new DateOnly(2026, 11, 25);
        var nov26 = new DateOnly(2026, 11, 26);

        var live = new List<Line>();
        async Task SellAsync(BranchOffice branch, SaleInput sale)
        {
            await branch.CreateAsync(sale);
            live.Add(new Line(branch.Id, sale.Date, sale.Product, sale.Region, sale.Qty, sale.Cost, sale.Tax));
        }

        await SellAsync(a, new SaleInput(nov25, "espresso", "north", 2, 2.5m, 0.2f));
        await SellAsync(a, new SaleInput(nov26, "tea", "south", 3, 1.5m, 0.1f));
        await SellAsync(b, new SaleInput(nov25, "espresso", "north", 1, 2.5m, 0.2f));
        await SellAsync(b, new SaleInput(nov24, "cake", "east", 5, 3.75m, 0.05f));
        var deleted = await a.CreateAsync(new SaleInput(nov25, "espresso", "north", 40, 2.5m, 0.2f));
        await a.DeleteAsync(deleted.Id);
        var changed = await b.CreateAsync(new SaleInput(nov26, "tea", "north", 1, 1.5m, 0.1f));
        var corrected = new SaleInput(nov26, "tea", "south", 6, 1.25m, 0.1f);
        await b.UpdateAsync(changed.Id, corrected);
        live.Add(new Line(b.Id, corrected.Date, corrected.Product, corrected.Region, corrected.Qty, corrected.Cost, corrected.Tax));
        await a.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));
        await b.WaitUntilAllAckedAsync(TimeSpan.FromSeconds(60));

        await ExpectAsync(system, "", "region", live, l => l.Region);
        await ExpectAsync(system, "groupBy=branch", "branch", live, l => l.Branch);
        await ExpectAsync(system, "groupBy=Product", "product", live, l => l.Product);
        await ExpectAsync(system, "groupBy=day&from=2026-11-25&to=2026-11-26", "day",
            live.Where(l => l.Date >= nov25).ToList(), l => l.Date.ToString("yyyy-MM-dd"));
        var oneDay = await system.HeadOffice.SalesReportAsync("groupBy=region&from=2026-11-24&to=2026-11-24");
        Assert.Equal((nov24, nov24), (oneDay.From, oneDay.To));
        Assert.Equal(["east"], oneDay.Rows.Select(r => r.Key).ToArray());
    }

    [Theory]
    [InlineData("groupBy=colour", "groupBy")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2026-11-26&to=2026-11-25", "to")]
    public async Task Should_refuse_a_query_it_cannot_answer_and_say_which_parameter(string query, string parameter)
    {
        await using var system = await SyncSystem.StartAsync([]);
        using var response = await system.HeadOffice.Process.Http.GetAsync($"/reports/sales?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), problem.RootElement.ToString());
    }

    private static async Task ExpectAsync(SyncSystem system, string query, string groupBy, IReadOnlyList<Line> lines, Func<Line, string> key)
    {
        var expected = lines
            .GroupBy(key)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SalesReportRowView(
                g.Key, g.Sum(l => l.Qty), g.Sum(l => l.Amount), g.Sum(l => l.TaxAmount), g.Sum(l => l.Amount + l.TaxAmount), g.LongCount()))
            .ToArray();
        SalesReportView? report = null;

        // The projection follows the ingest on a queue of its own: it gets there, a moment later.
        var matched = await Eventually.HoldsWithinAsync(async () =>
        {
            report = await system.HeadOffice.SalesReportAsync(query);
            return report.Rows.SequenceEqual(expected);
        }, TimeSpan.FromSeconds(30));
        Assert.True(matched, $"{query}: expected {string.Join(", ", expected.AsEnumerable())}, got {string.Join(", ", report!.Rows.AsEnumerable())}");
        Assert.Equal(groupBy, report!.GroupBy);
        Assert.Equal(expected.Sum(r => r.Total), report.Totals.Total);
        Assert.Equal(expected.Sum(r => r.Quantity), report.Totals.Quantity);
    }
}
