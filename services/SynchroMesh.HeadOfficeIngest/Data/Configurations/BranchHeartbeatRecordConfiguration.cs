namespace SynchroMesh.HeadOfficeIngest.Data.Configurations;

public sealed class BranchHeartbeatRecordConfiguration : IEntityTypeConfiguration<BranchHeartbeatRecord>
{
    public void Configure(EntityTypeBuilder<BranchHeartbeatRecord> builder)
    {
        builder.ToTable("branch_heartbeats");
        builder.HasKey(h => h.BranchId);
        builder.Property(h => h.BranchId).HasMaxLength(BranchIds.MaxLength);
    }
}
