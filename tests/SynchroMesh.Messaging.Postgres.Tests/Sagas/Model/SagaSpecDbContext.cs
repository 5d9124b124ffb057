using Microsoft.EntityFrameworkCore;

namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

public sealed class SagaSpecDbContext : DbContext
{
    public SagaSpecDbContext(DbContextOptions<SagaSpecDbContext> options)
        : base(options)
    {
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ShipmentState>(shipment =>
        {
            shipment.ToTable("shipment_state");
            shipment.HasKey(x => x.CorrelationId);
            shipment.Property(x => x.CorrelationId).HasColumnName("correlation_id");
            shipment.Property(x => x.CurrentState).HasColumnName("current_state");
            shipment.Property(x => x.ItemCount).HasColumnName("item_count");
            shipment.Property(x => x.RowVersion).IsRowVersion();
        });
    }
}
