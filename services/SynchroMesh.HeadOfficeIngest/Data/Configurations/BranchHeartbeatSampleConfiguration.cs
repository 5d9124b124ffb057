namespace SynchroMesh.HeadOfficeIngest.Data.Configurations;

public sealed class BranchHeartbeatSampleConfiguration : IEntityTypeConfiguration<BranchHeartbeatSample>
{
    public void Configure(EntityTypeBuilder<BranchHeartbeatSample> builder)
    {
        builder.ToTable("branch_heartbeat_history");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.BranchId).HasMaxLength(BranchIds.MaxLength);
        // A branch's chart, newest first; and the newest sample, which decides whether a heartbeat makes another.
        builder.HasIndex(h => new { h.BranchId, h.ReceivedAt });
        // Pruning by age.
        builder.HasIndex(h => h.ReceivedAt);
    }
}
