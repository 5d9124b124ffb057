namespace SynchroMesh.ServiceDefaults;

/// <summary>What a sales row may hold: one set of limits for the branch API, the branch table and the head office.</summary>
public static class ProductRules
{
    public const int MaxProductLength = 200;
    public const int MaxRegionLength = 100;

    public static readonly DateOnly MinDate = new(2000, 1, 1);
    public static readonly DateOnly MaxDate = new(2100, 12, 31);

    /// <summary>The most products one batch message may carry (a branch's <c>Sync:BatchSize</c> stays within it).</summary>
    public const int MaxBatchProducts = 1000;

    /// <summary>Cost is stored as numeric(19,4).</summary>
    public const decimal MaxCost = 999_999_999_999_999m;
}
