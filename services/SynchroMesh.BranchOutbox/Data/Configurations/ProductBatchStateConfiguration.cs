using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SynchroMesh.BranchOutbox.Data.Configurations;

public sealed class ProductBatchStateConfiguration : IEntityTypeConfiguration<ProductBatchState>
{
    public void Configure(EntityTypeBuilder<ProductBatchState> builder)
    {
        builder.ToTable("product_batches");
        builder.HasKey(s => s.CorrelationId);
        builder.Property(s => s.CorrelationId).ValueGeneratedNever();
        builder.Property(s => s.CurrentState).HasMaxLength(64);
        builder.Property(s => s.BranchId).HasMaxLength(BranchIds.MaxLength);
        builder.Property(s => s.RowVersion).IsRowVersion();
    }
}
