using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SynchroMesh.ServiceDefaults;

namespace SynchroMesh.BranchOutbox.Data.Configurations;

public sealed class BranchProductConfiguration : IEntityTypeConfiguration<BranchProduct>
{
    public void Configure(EntityTypeBuilder<BranchProduct> builder)
    {
        builder.ToTable("products");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Product).HasMaxLength(ProductRules.MaxProductLength);
        builder.Property(p => p.Region).HasMaxLength(ProductRules.MaxRegionLength);
        builder.Property(p => p.Qty).HasConversion<long>();
        builder.Property(p => p.Cost).HasPrecision(19, 4);

        // Two writers of one row must not both produce the same next version.
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.SyncState);

        // The outbox's work list: small, because acked rows drop out of it.
        builder.HasIndex(p => p.Id).HasDatabaseName("ix_products_waiting_to_send").HasFilter("sent_version < version");

        // The rows still on their way (not sent, or sent and not acked), oldest send first: the backstop's list.
        builder.HasIndex(p => p.SentAt).HasDatabaseName("ix_products_waiting_for_ack").HasFilter("acked_version < version");

        // A timed-out batch's rows still on their way: what the batch saga puts back to be sent again.
        builder.HasIndex(p => p.BatchId).HasDatabaseName("ix_products_unacked_by_batch").HasFilter("acked_version < version");
    }
}
