namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>Where the head office keeps each branch's rows: one per (branch id, external id), at its newest version.</summary>
public interface IProductStore
{
    /// <summary>
    /// Inserts each new row, or overwrites the stored one when the submitted version is newer; an older or equal version
    /// leaves the row alone, also when copies are stored at the same moment. The products must have distinct keys.
    /// Returns how many rows were written.
    /// </summary>
    Task<int> UpsertAsync(IReadOnlyList<ProductSubmitted> products, CancellationToken cancellationToken);
}
