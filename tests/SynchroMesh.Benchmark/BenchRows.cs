namespace SynchroMesh.Benchmark;

/// <summary>
/// The rows every phase moves, as the typed message a branch publishes (<see cref="ProductSubmitted"/>), so the
/// floors carry exactly what SynchroMesh carries.
/// </summary>
public static class BenchRows
{
    private static readonly string[] Products = ["espresso", "latte", "croissant", "bagel", "tea", "muffin", "juice", "sandwich"];
    private static readonly string[] Regions = ["north", "south", "east", "west"];

    /// <summary>Row <paramref name="n"/> of a branch's backlog, in the created/updated/deleted mix asked for.</summary>
    public static ProductSubmitted Make(string branchId, long n, BenchmarkSettings settings)
    {
        var at = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero).AddMilliseconds(n * 37);
        var slot = (int)(n % 100);
        var deleted = slot < settings.DeletedPercent;
        var updated = !deleted && slot < settings.DeletedPercent + settings.UpdatedPercent;
        var version = deleted ? 3 : updated ? 2 : 1;
        return new ProductSubmitted
        {
            BranchId = branchId,
            ExternalId = n,
            Version = version,
            Date = new DateOnly(2026, 11, 1).AddDays((int)(n % 25)),
            Product = Products[n % Products.Length],
            Region = Regions[n % Regions.Length],
            Qty = (uint)(1 + n % 9),
            Cost = 1.25m + n % 40 * 0.5m,
            Tax = 0.2f,
            CreatedAt = at,
            UpdatedAt = at.AddMinutes(version - 1),
            DeletedAt = deleted ? at.AddMinutes(version - 1) : null,
        };
    }
}
