using Microsoft.AspNetCore.Http.HttpResults;

namespace SynchroMesh.HeadOfficeIngest.Apis;

/// <summary>
/// Every branch the head office knows, how much of it the head office holds, and how far behind it is (what an
/// operator looks at first); and one branch's backlog and lag over time.
/// </summary>
public static class BranchesApi
{
    /// <summary>The longest history one request may ask for.</summary>
    private const int MaxHistoryHours = 24 * 366;

    public static IEndpointRouteBuilder MapBranchesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/branches").RequireAuthorization(HeadOfficeSecurity.ReaderPolicy).WithTags("Branches");
        group.MapGet("/", ListAsync)
            .WithName("ListBranches")
            .WithSummary("Every branch: online or not and since when, what the head office holds of it, its backlog, lag and rate.");
        group.MapGet("/{branchId}/history", HistoryAsync)
            .WithName("GetBranchHistory")
            .WithSummary("A branch's backlog and lag over the last hours, one sample a minute at most (Console:HistoryInterval).");
        return app;
    }

    private static async Task<IReadOnlyList<BranchStatus>> ListAsync(BranchStatusReader reader, CancellationToken cancellationToken) =>
        await reader.ReadAsync(cancellationToken);

    /// <param name="hours">How far back, 1 to 8784 hours; 24 when absent.</param>
    private static async Task<Results<Ok<BranchSampleResponse[]>, ValidationProblem>> HistoryAsync(
        string branchId, HeadOfficeDbContext db, TimeProvider clock, CancellationToken cancellationToken, int hours = 24)
    {
        if (hours is < 1 or > MaxHistoryHours)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["hours"] = [$"between 1 and {MaxHistoryHours}"] });
        }

        var since = clock.GetUtcNow() - TimeSpan.FromHours(hours);
        var samples = await db.HeartbeatHistory.AsNoTracking()
            .Where(s => s.BranchId == branchId && s.ReceivedAt >= since)
            .OrderBy(s => s.ReceivedAt)
            .Select(s => new BranchSampleResponse(s.ReceivedAt, s.Backlog, s.LagSeconds))
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(samples);
    }
}

/// <summary>A branch's backlog and lag when one of its heartbeats arrived.</summary>
public sealed record BranchSampleResponse(DateTimeOffset At, long Backlog, double LagSeconds);
