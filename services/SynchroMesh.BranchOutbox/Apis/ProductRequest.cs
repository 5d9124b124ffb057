namespace SynchroMesh.BranchOutbox.Apis;

/// <summary>
/// The body of a create or an update. Every field is nullable so that a missing one is reported by name
/// instead of silently defaulting.
/// </summary>
public sealed record ProductRequest(DateOnly? Date, string? Product, string? Region, long? Qty, decimal? Cost, float? Tax)
{
    /// <summary>The problems of this body keyed by field name; empty when it is valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Date is not { } date || !ProductRules.IsAllowedDate(date))
        {
            errors["date"] = [$"required, between {ProductRules.MinDate:yyyy-MM-dd} and {ProductRules.MaxDate:yyyy-MM-dd}"];
        }

        if (ProductRules.TextProblem(Product, ProductRules.MaxProductLength) is { } productProblem)
        {
            errors["product"] = [productProblem];
        }

        if (ProductRules.TextProblem(Region, ProductRules.MaxRegionLength) is { } regionProblem)
        {
            errors["region"] = [regionProblem];
        }

        if (Qty is null or < 0 or > uint.MaxValue)
        {
            errors["qty"] = [$"required, between 0 and {uint.MaxValue}"];
        }

        if (Cost is not { } cost || !ProductRules.IsAllowedCost(cost))
        {
            errors["cost"] = [$"required, between 0 and {ProductRules.MaxCost}"];
        }

        if (Tax is not { } tax || !ProductRules.IsAllowedTax(tax))
        {
            errors["tax"] = ["required, a finite non-negative number"];
        }

        return errors;
    }
}
