namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

public sealed class SagaSpecDbContext : DbContext
{
    public SagaSpecDbContext(DbContextOptions<SagaSpecDbContext> options)
        : base(options)
    {
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.SpecSagaState<ShipmentState>("shipment_state")
            .Property(x => x.ItemCount).HasColumnName("item_count");
    }
}
