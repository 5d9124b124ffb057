namespace SynchroMesh.HeadOfficeIngest.Data.Configurations;

public sealed class StoredProductConfiguration : IEntityTypeConfiguration<StoredProduct>
{
    public void Configure(EntityTypeBuilder<StoredProduct> builder)
    {
        builder.ToTable("products");
        builder.HasKey(p => p.Id);

        // The idempotency of the whole protocol rests on this constraint, not on a check-then-insert.
        builder.HasIndex(p => new { p.BranchId, p.ExternalId }).IsUnique();

        builder.Property(p => p.BranchId).HasMaxLength(BranchIds.MaxLength);
        builder.Property(p => p.Product).HasMaxLength(ProductRules.MaxProductLength);
        builder.Property(p => p.Region).HasMaxLength(ProductRules.MaxRegionLength);
        builder.Property(p => p.Qty).HasConversion<long>();
        builder.Property(p => p.Cost).HasPrecision(19, 4);
    }
}
