namespace SynchroMesh.HeadOfficeIngest.Data.Configurations;

public sealed class DeadMessageAuditConfiguration : IEntityTypeConfiguration<DeadMessageAudit>
{
    public void Configure(EntityTypeBuilder<DeadMessageAudit> builder)
    {
        builder.ToTable("dead_message_audit");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Action).HasMaxLength(16);
        builder.Property(a => a.BranchId).HasMaxLength(BranchIds.MaxLength);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => a.MessageId);
    }
}
