namespace SynchroMesh.HeadOfficeIngest.Data.Configurations;

public sealed class SalesLineConfiguration : IEntityTypeConfiguration<SalesLine>
{
    /// <summary>The report's own schema: a projection that can be dropped and rebuilt without touching the ingest's tables.</summary>
    public const string Schema = "reports";

    public void Configure(EntityTypeBuilder<SalesLine> builder)
    {
        builder.ToTable("sales_lines", Schema);
        builder.HasKey(l => new { l.BranchId, l.ExternalId });
        builder.Property(l => l.BranchId).HasMaxLength(BranchIds.MaxLength);
        builder.Property(l => l.Product).HasMaxLength(ProductRules.MaxProductLength);
        builder.Property(l => l.Region).HasMaxLength(ProductRules.MaxRegionLength);
        builder.Property(l => l.Qty).HasConversion<long>();
        builder.Property(l => l.Cost).HasPrecision(19, 4);

        // The report reads live lines by date.
        builder.HasIndex(l => l.Date).HasDatabaseName("ix_sales_lines_live_by_date").HasFilter("NOT is_deleted");
    }
}
