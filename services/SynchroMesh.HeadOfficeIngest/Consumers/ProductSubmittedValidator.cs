namespace SynchroMesh.HeadOfficeIngest.Consumers;

/// <summary>What a submitted product must satisfy before the head office stores it.</summary>
public static class ProductSubmittedValidator
{
    /// <summary>How a message whose branch id is not one is refused, whatever the message.</summary>
    public const string InvalidBranchId = "branchId: must match " + BranchIds.Pattern;

    /// <summary>The problems of <paramref name="message"/>, each naming its field; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(ProductSubmitted message)
    {
        var errors = new List<string>();
        if (!BranchIds.IsValid(message.BranchId))
        {
            errors.Add(InvalidBranchId);
        }

        if (message.ExternalId <= 0)
        {
            errors.Add("externalId: must be positive");
        }

        if (message.Version <= 0)
        {
            errors.Add("version: must be positive");
        }

        if (!ProductRules.IsAllowedDate(message.Date))
        {
            errors.Add($"date: must be between {ProductRules.MinDate:yyyy-MM-dd} and {ProductRules.MaxDate:yyyy-MM-dd}");
        }

        if (ProductRules.TextProblem(message.Product, ProductRules.MaxProductLength) is { } productProblem)
        {
            errors.Add($"product: {productProblem}");
        }

        if (ProductRules.TextProblem(message.Region, ProductRules.MaxRegionLength) is { } regionProblem)
        {
            errors.Add($"region: {regionProblem}");
        }

        if (!ProductRules.IsAllowedCost(message.Cost))
        {
            errors.Add($"cost: must be between 0 and {ProductRules.MaxCost}");
        }

        if (!ProductRules.IsAllowedTax(message.Tax))
        {
            errors.Add("tax: must be a finite, non-negative number");
        }

        if (message.UpdatedAt < message.CreatedAt)
        {
            errors.Add("updatedAt: must not be before createdAt");
        }

        return errors;
    }
}
