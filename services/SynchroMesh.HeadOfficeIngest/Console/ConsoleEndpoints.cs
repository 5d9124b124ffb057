using Microsoft.AspNetCore.Antiforgery;

namespace SynchroMesh.HeadOfficeIngest.Console;

/// <summary>
/// The operators' console under <c>/console</c>: the network's page, one branch's page, their assets, and what the
/// pages ask besides the public APIs (who is signed in with the token for actions, today's totals, a branch's recent
/// batches). The pages read the same APIs a reporting client does.
/// </summary>
public static class ConsoleEndpoints
{
    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        // The sign-in page needs the style before anyone is signed in; nothing in the assets is secret.
        app.MapGet(HeadOfficeSecurity.AssetsPath + "/{name}", (HttpContext context, string name) => ConsolePages.Asset(context, name)).AllowAnonymous().ExcludeFromDescription();

        var pages = app.MapGroup(HeadOfficeSecurity.ConsolePath).RequireAuthorization(HeadOfficeSecurity.ReaderPolicy).ExcludeFromDescription();
        pages.MapGet("/", (HttpContext context) => ConsolePages.Page(context, "network", "Branches"));
        pages.MapGet("/branches/{branchId}", (HttpContext context) =>
            ConsolePages.Page(context, "branch", "Branch", headingAfter: """ › <span id="branch-name"></span>"""));

        var api = app.MapGroup(HeadOfficeSecurity.ConsoleApiPath).RequireAuthorization(HeadOfficeSecurity.ReaderPolicy).ExcludeFromDescription();
        api.MapGet("/session", Session);
        api.MapGet("/totals", TotalsAsync);
        api.MapGet("/branches/{branchId}/batches", BatchesAsync);
        return app;
    }

    /// <summary>Who is signed in, whether they may act, and the token their actions must carry.</summary>
    private static ConsoleSession Session(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new ConsoleSession(
            context.User.Identity?.Name ?? "",
            HeadOfficeAuthOptions.KnownRoles.FirstOrDefault(context.User.IsInRole) ?? Roles.Reporting,
            context.User.IsInRole(Roles.Operator),
            tokens.HeaderName!,
            tokens.RequestToken!);
    }

    /// <summary>Rows stored since midnight (UTC), every branch, for the page's header (the sales totals come from the report).</summary>
    private static async Task<ConsoleTotals> TotalsAsync(HeadOfficeDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var midnight = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        return new ConsoleTotals(await db.Products.AsNoTracking().LongCountAsync(p => p.ReceivedAt >= midnight, cancellationToken));
    }

    /// <summary>
    /// A branch's last batches as the head office stored them: rows stored in one transaction share their
    /// <c>received_at</c>, so a batch is a group of them.
    /// </summary>
    private static async Task<BatchResponse[]> BatchesAsync(string branchId, HeadOfficeDbContext db, CancellationToken cancellationToken, int limit = 20) =>
        await db.Products.AsNoTracking()
            .Where(p => p.BranchId == branchId)
            .GroupBy(p => p.ReceivedAt)
            .OrderByDescending(g => g.Key)
            .Take(Math.Clamp(limit, 1, 200))
            .Select(g => new BatchResponse(g.Key, g.LongCount(), g.LongCount(p => p.DeletedAt != null), g.Max(p => p.UpdatedAt)))
            .ToArrayAsync(cancellationToken);
}

public sealed record ConsoleSession(string Name, string Role, bool CanAct, string AntiforgeryHeader, string AntiforgeryToken);

/// <param name="RowsStoredToday">Rows stored (inserted or updated, last version) since midnight UTC, every branch.</param>
public sealed record ConsoleTotals(long RowsStoredToday);

/// <param name="StoredAt">When the head office stored the batch.</param>
/// <param name="Rows">Rows it created or updated.</param>
/// <param name="Deleted">Of those, deletions.</param>
/// <param name="NewestChangeAt">The newest change in it, by the branch's clock.</param>
public sealed record BatchResponse(DateTimeOffset StoredAt, long Rows, long Deleted, DateTimeOffset NewestChangeAt);
