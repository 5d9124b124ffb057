namespace SynchroMesh.BranchOutbox.Data;

/// <summary>
/// A branch's database: its sales, the sync bookkeeping on each row, and the sagas of the batches on their way.
/// </summary>
/// <remarks>
/// Add a migration with:
/// <c>dotnet ef migrations add NAME --project services/SynchroMesh.BranchOutbox --output-dir Data/Migrations</c>
/// </remarks>
public sealed class BranchDbContext(DbContextOptions<BranchDbContext> options) : DbContext(options)
{
    public const string Schema = "branch";

    public DbSet<BranchProduct> Products => Set<BranchProduct>();

    public DbSet<ProductBatchState> ProductBatches => Set<ProductBatchState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BranchDbContext).Assembly);
    }
}
