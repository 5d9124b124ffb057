using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SynchroMesh.BranchOutbox.Data.Configurations;

public sealed class BranchProductConfiguration : IEntityTypeConfiguration<BranchProduct>
{
    public void Configure(EntityTypeBuilder<BranchProduct> builder)
    {
        // Other programs (a till's software, psql) write this table too: what the API validates, the table checks.
        builder.ToTable("products", t =>
        {
            t.HasCheckConstraint("ck_products_date", $"date BETWEEN '{ProductRules.MinDate:yyyy-MM-dd}' AND '{ProductRules.MaxDate:yyyy-MM-dd}'");
            t.HasCheckConstraint("ck_products_product", "btrim(product) <> ''");
            t.HasCheckConstraint("ck_products_region", "btrim(region) <> ''");
            t.HasCheckConstraint("ck_products_qty", $"qty BETWEEN 0 AND {uint.MaxValue}");
            // numeric's NaN sorts above every number, real's NaN above Infinity: both fail these ranges.
            t.HasCheckConstraint("ck_products_cost", $"cost BETWEEN 0 AND {ProductRules.MaxCost}");
            t.HasCheckConstraint("ck_products_tax", "tax >= 0 AND tax < 'Infinity'::real");
        });
        builder.HasKey(p => p.Id);
        builder.Property(p => p.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(p => p.UpdatedAt).HasDefaultValueSql("now()");
        builder.Property(p => p.SentVersion).HasDefaultValue(0L);
        builder.Property(p => p.AckedVersion).HasDefaultValue(0L);
        builder.Property(p => p.Product).HasMaxLength(ProductRules.MaxProductLength);
        builder.Property(p => p.Region).HasMaxLength(ProductRules.MaxRegionLength);
        builder.Property(p => p.Qty).HasConversion<long>();
        builder.Property(p => p.Cost).HasPrecision(19, 4);

        // The database gives every change its version (a trigger, from one sequence; see the migration
        // CaptureFromAnyWriter), and the API reads it back. Two writers of one row cannot both save what they read.
        builder.Property(p => p.Version).HasDefaultValue(0L).ValueGeneratedOnAddOrUpdate().IsConcurrencyToken();
        builder.Ignore(p => p.SyncState);

        // PostgreSQL uses a partial index only for a query whose condition implies the index's: each filter is the
        // condition the sync statements use (SyncStates).
        // The outbox's work list: small, because acked rows drop out of it.
        builder.HasIndex(p => p.Id).HasDatabaseName("ix_products_waiting_to_send").HasFilter(SyncStates.NotSentSql);

        // The rows still on their way (not sent, or sent and not acked), oldest send first: the backstop's list.
        builder.HasIndex(p => p.SentAt).HasDatabaseName("ix_products_waiting_for_ack").HasFilter(SyncStates.UnackedSql);

        // A timed-out batch's rows still on their way: what the batch saga puts back to be sent again.
        builder.HasIndex(p => p.BatchId).HasDatabaseName("ix_products_unacked_by_batch").HasFilter(SyncStates.UnackedSql);
    }
}
