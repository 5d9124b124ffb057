namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

public sealed class ParcelDbContext : DbContext
{
    public const string Schema = """
        CREATE TABLE parcel_state (
            correlation_id uuid PRIMARY KEY,
            current_state text NOT NULL,
            pickup_timeout_token_id uuid NULL);
        """;

    public ParcelDbContext(DbContextOptions<ParcelDbContext> options)
        : base(options)
    {
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.SpecSagaState<ParcelState>("parcel_state")
            .Property(x => x.PickupTimeoutTokenId).HasColumnName("pickup_timeout_token_id");
    }
}
