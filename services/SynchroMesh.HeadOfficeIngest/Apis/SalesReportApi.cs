using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SynchroMesh.HeadOfficeIngest.Apis;

/// <summary>Sales totals for managers, read from the sales report's projection; deleted sales are left out.</summary>
public static class SalesReportApi
{
    private static readonly Dictionary<string, SalesGrouping> Groupings = Enum.GetValues<SalesGrouping>()
        .ToDictionary(g => g.ToString(), g => g, StringComparer.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapSalesReportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reports/sales", GetAsync)
            .RequireAuthorization(HeadOfficeSecurity.ReaderPolicy)
            .WithTags("Reports")
            .WithName("GetSalesReport")
            .WithSummary("Sales totals grouped by region, branch, product or day, deleted sales left out.");
        return app;
    }

    /// <param name="groupBy">region (the default), branch, product or day.</param>
    /// <param name="from">First sale date included, yyyy-MM-dd; all dates when absent.</param>
    /// <param name="to">Last sale date included, yyyy-MM-dd; all dates when absent.</param>
    private static async Task<Results<Ok<SalesReportResponse>, ValidationProblem>> GetAsync(
        SalesReportStore store, CancellationToken cancellationToken, string? groupBy = null, string? from = null, string? to = null)
    {
        var errors = new Dictionary<string, string[]>();
        var grouping = SalesGrouping.Region;
        if (groupBy is not null && !Groupings.TryGetValue(groupBy, out grouping))
        {
            errors["groupBy"] = ["one of region, branch, product, day"];
        }

        var first = ParseDate(from, ProductRules.MinDate, "from", errors);
        var last = ParseDate(to, ProductRules.MaxDate, "to", errors);
        if (errors.Count == 0 && first > last)
        {
            errors["to"] = ["must not be before from"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var groups = await store.ReadAsync(grouping, first, last, cancellationToken);
        var rows = groups.Select(g => new SalesReportRow(g.Key, g.Quantity, g.Amount, g.Tax, g.Total, g.Lines)).ToArray();
        var totals = new SalesReportRow(
            "total", rows.Sum(r => r.Quantity), rows.Sum(r => r.Amount), rows.Sum(r => r.Tax), rows.Sum(r => r.Total), rows.Sum(r => r.Lines));
        return TypedResults.Ok(new SalesReportResponse(grouping.ToString().ToLowerInvariant(), first, last, rows, totals));
    }

    private static DateOnly ParseDate(string? value, DateOnly absent, string name, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return absent;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors[name] = ["a date as yyyy-MM-dd"];
        return absent;
    }
}

/// <summary>The sales report: one row per group, ordered by key, and the totals over them.</summary>
/// <param name="GroupBy">What the rows are grouped by: region, branch, product or day.</param>
/// <param name="From">First sale date included.</param>
/// <param name="To">Last sale date included.</param>
public sealed record SalesReportResponse(string GroupBy, DateOnly From, DateOnly To, SalesReportRow[] Rows, SalesReportRow Totals);

/// <summary>One group's figures.</summary>
/// <param name="Key">The region, branch id, product, or day (yyyy-MM-dd).</param>
/// <param name="Quantity">Units sold.</param>
/// <param name="Amount">Σ qty × cost.</param>
/// <param name="Tax">Σ qty × cost × tax rate, each line rounded to 4 decimals.</param>
/// <param name="Total">Amount plus tax.</param>
/// <param name="Lines">Sales rows counted.</param>
public sealed record SalesReportRow(string Key, long Quantity, decimal Amount, decimal Tax, decimal Total, long Lines);
