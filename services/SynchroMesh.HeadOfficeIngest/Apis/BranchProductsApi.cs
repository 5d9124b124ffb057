using Microsoft.AspNetCore.Http.HttpResults;

namespace SynchroMesh.HeadOfficeIngest.Apis;

/// <summary>Read access to what the head office holds of each branch.</summary>
public static class BranchProductsApi
{
    public static IEndpointRouteBuilder MapBranchProductsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/branches/{branchId}/products").RequireAuthorization(HeadOfficeSecurity.ReaderPolicy).WithTags("Branches");
        group.MapGet("/", ListAsync).WithName("ListBranchProducts").WithSummary("Every row the head office holds of a branch, deleted ones included.");
        group.MapGet("/{externalId:long}", GetAsync).WithName("GetBranchProduct").WithSummary("One row of a branch by the branch's id, at the newest version stored.");
        return app;
    }

    private static async Task<Ok<StoredProductResponse[]>> ListAsync(
        string branchId, HeadOfficeDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Products.AsNoTracking()
            .Where(p => p.BranchId == branchId)
            .OrderBy(p => p.ExternalId)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(StoredProductResponse.From).ToArray());
    }

    private static async Task<Results<Ok<StoredProductResponse>, NotFound>> GetAsync(
        string branchId, long externalId, HeadOfficeDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.Products.AsNoTracking()
            .SingleOrDefaultAsync(p => p.BranchId == branchId && p.ExternalId == externalId, cancellationToken);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(StoredProductResponse.From(row));
    }
}
