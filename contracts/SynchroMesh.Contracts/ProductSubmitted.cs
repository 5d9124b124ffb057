namespace SynchroMesh.Contracts;

/// <summary>
/// A version of a sales row, sent by its branch to the head office. The head office stores it idempotently
/// keyed on (<see cref="BranchId"/>, <see cref="ExternalId"/>) and keeps the highest <see cref="Version"/>.
/// </summary>
public record ProductSubmitted
{
    public required string BranchId { get; init; }

    /// <summary>The row's id in its branch's database.</summary>
    public required long ExternalId { get; init; }

    /// <summary>Grows with every create, update and soft delete of the row at its branch.</summary>
    public required long Version { get; init; }

    public required DateOnly Date { get; init; }
    public required string Product { get; init; }
    public required string Region { get; init; }
    public required uint Qty { get; init; }
    public required decimal Cost { get; init; }
    public required float Tax { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
}
