using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SynchroMesh.BranchOutbox.StateMachines;
using SynchroMesh.ServiceDefaults;

namespace SynchroMesh.BranchOutbox.Data.Configurations;

public sealed class ProductSyncStateConfiguration : IEntityTypeConfiguration<ProductSyncState>
{
    public void Configure(EntityTypeBuilder<ProductSyncState> builder)
    {
        builder.ToTable("product_sync_states");
        builder.HasKey(s => s.CorrelationId);
        builder.Property(s => s.CorrelationId).ValueGeneratedNever();
        builder.Property(s => s.CurrentState).HasMaxLength(64);
        builder.Property(s => s.BranchId).HasMaxLength(BranchIds.MaxLength);
        builder.Property(s => s.RowVersion).IsRowVersion();
        builder.HasIndex(s => s.ExternalId);
    }
}
