using Microsoft.EntityFrameworkCore;
using SynchroMesh.HeadOfficeIngest.Data;

namespace SynchroMesh.HeadOfficeIngest.Apis;

/// <summary>Every branch the head office holds rows of, and how much of it: what an operator looks at first.</summary>
public static class BranchesApi
{
    public static IEndpointRouteBuilder MapBranchesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/branches", ListAsync);
        return app;
    }

    private static async Task<BranchSummaryResponse[]> ListAsync(HeadOfficeDbContext db, CancellationToken cancellationToken)
    {
        var branches = await db.Products.AsNoTracking()
            .GroupBy(p => p.BranchId)
            .Select(g => new
            {
                BranchId = g.Key,
                Rows = g.LongCount(),
                Deleted = g.LongCount(p => p.DeletedAt != null),
                LastReceivedAt = g.Max(p => p.ReceivedAt),
                NewestChangeAt = g.Max(p => p.UpdatedAt),
            })
            .ToListAsync(cancellationToken);
        return branches
            .OrderBy(b => b.BranchId, StringComparer.Ordinal)
            .Select(b => new BranchSummaryResponse(b.BranchId, b.Rows, b.Deleted, b.LastReceivedAt, b.NewestChangeAt))
            .ToArray();
    }
}

/// <summary>A branch as <c>GET /branches</c> reports it.</summary>
/// <param name="Rows">Rows the head office holds of the branch, deleted ones included.</param>
/// <param name="Deleted">Of those, rows the branch deleted.</param>
/// <param name="LastReceivedAt">When the head office last stored a product of this branch.</param>
/// <param name="NewestChangeAt">The newest change of the branch the head office holds (the branch's own clock).</param>
public sealed record BranchSummaryResponse(string BranchId, long Rows, long Deleted, DateTimeOffset LastReceivedAt, DateTimeOffset NewestChangeAt);
