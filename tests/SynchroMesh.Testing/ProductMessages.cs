using SynchroMesh.Contracts;

namespace SynchroMesh.Testing;

/// <summary>Messages as a branch would publish them, for specs that speak to the head office directly.</summary>
public static class ProductMessages
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A valid <see cref="ProductSubmitted"/>; a spec changes what it is about with <c>with { … }</c>.</summary>
    public static ProductSubmitted Submitted(string branchId, long externalId, long version = 1) => new()
    {
        BranchId = branchId,
        ExternalId = externalId,
        Version = version,
        Date = new DateOnly(2026, 11, 25),
        Product = "tea",
        Region = "north",
        Qty = 1,
        Cost = 2m,
        Tax = 0.1f,
        CreatedAt = At,
        UpdatedAt = At.AddMinutes(version),
    };
}
