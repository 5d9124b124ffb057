using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SynchroMesh.BranchOutbox.Apis;

/// <summary>
/// Records the branch's sales. Every change makes a new version of the row (given by the database, as for any other
/// writer of the table), to be sent to the head office.
/// </summary>
public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/products").RequireAuthorization(BranchSecurity.TillPolicy).WithTags("Sales");
        group.MapPost("/", CreateAsync).WithName("CreateSale").WithSummary("Records a sale; the branch sends it to the head office.");
        group.MapGet("/{id:long}", GetAsync).WithName("GetSale").WithSummary("One sale as the branch holds it, with its sync state.");
        group.MapPut("/{id:long}", UpdateAsync).WithName("UpdateSale").WithSummary("Changes a sale: a new version, sent again.");
        group.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteSale").WithSummary("Deletes a sale (kept as a tombstone until the head office has it).");
        return app;
    }

    private static async Task<Results<Created<ProductResponse>, ValidationProblem>> CreateAsync(
        ProductRequest request, BranchDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = clock.GetUtcNow();
        var row = new BranchProduct { Product = "", Region = "", CreatedAt = now };
        Apply(request, row, now);
        db.Products.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        return TypedResults.Created($"/products/{row.Id}", ProductResponse.From(row));
    }

    private static async Task<Results<Ok<ProductResponse>, NotFound>> GetAsync(
        long id, BranchDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(ProductResponse.From(row));
    }

    private static async Task<Results<Ok<ProductResponse>, NotFound, ValidationProblem, Conflict<string>>> UpdateAsync(
        long id, ProductRequest request, BranchDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var row = await db.Products.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        if (row.DeletedAt is not null)
        {
            return TypedResults.Conflict("The product is deleted.");
        }

        Apply(request, row, clock.GetUtcNow());
        if (!await TrySaveAsync(db, cancellationToken))
        {
            return TypedResults.Conflict("The product was changed at the same time; read it and try again.");
        }

        outbox.Notify();
        return TypedResults.Ok(ProductResponse.From(row));
    }

    private static async Task<Results<NoContent, NotFound, Conflict<string>>> DeleteAsync(
        long id, BranchDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.Products.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        // Deleting twice is not a new change, so it makes no new version.
        if (row.DeletedAt is null)
        {
            var now = clock.GetUtcNow();
            row.DeletedAt = now;
            row.UpdatedAt = now;
            row.TraceParent = Activity.Current?.Id;
            if (!await TrySaveAsync(db, cancellationToken))
            {
                return TypedResults.Conflict("The product was changed at the same time; read it and try again.");
            }

            outbox.Notify();
        }

        return TypedResults.NoContent();
    }

    private static void Apply(ProductRequest request, BranchProduct row, DateTimeOffset now)
    {
        row.Date = request.Date!.Value;
        row.Product = request.Product!;
        row.Region = request.Region!;
        row.Qty = (uint)request.Qty!.Value;
        row.Cost = request.Cost!.Value;
        row.Tax = request.Tax!.Value;
        row.UpdatedAt = now;
        row.TraceParent = Activity.Current?.Id;
    }

    private static async Task<bool> TrySaveAsync(BranchDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }
}
