namespace SynchroMesh.BranchOutbox.Data;

/// <summary>
/// Every row the sync tracks: the live rows of <c>branch.products</c> and the tombstones of hard-deleted ones in
/// <c>branch.deleted_products</c>, both children of the table <c>branch.sync_rows</c> (PostgreSQL inheritance). The
/// sync reads and updates the parent, which reaches both in one statement; other programs see only the live rows.
/// </summary>
/// <remarks>
/// A new column goes on the parent (<c>ALTER TABLE branch.sync_rows ADD COLUMN</c>), which gives it to both
/// children; added to <c>branch.products</c> alone it would be missing from the sync's reads.
/// </remarks>
public static class SyncRows
{
    /// <summary>The rows whose current version is not sent yet, as <see cref="BranchProduct"/>s (<c>FromSqlRaw</c>).</summary>
    public const string SelectWaiting = "SELECT * FROM branch.sync_rows WHERE sent_version < version";

    /// <summary>The channel the tables' triggers notify on every change of a row's data, whoever makes it.</summary>
    public const string ChangeChannel = "synchromesh_product_changes";
}
