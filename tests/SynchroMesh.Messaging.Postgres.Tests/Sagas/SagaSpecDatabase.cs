namespace SynchroMesh.Messaging.Postgres.Tests.Sagas;

/// <summary>A fresh database with the shipment saga's tables, for one test class.</summary>
public sealed class SagaSpecDatabase : IAsyncLifetime
{
    public PostgresDatabase Database { get; } = new();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Database.Execute(SagaSpecSchema.Create);
    }

    public Task DisposeAsync() => Database.DisposeAsync();

    public Task<long> AuditCount(Guid shipmentId, string note) =>
        Database.Scalar<long>($"SELECT count(*) FROM shipment_audit WHERE correlation_id = '{shipmentId}' AND note = '{note}'");

    public Task<long> AuditCount(Guid shipmentId) =>
        Database.Scalar<long>($"SELECT count(*) FROM shipment_audit WHERE correlation_id = '{shipmentId}'");

    public Task<long> ShipmentRows(Guid shipmentId) =>
        Database.Scalar<long>($"SELECT count(*) FROM shipment_state WHERE correlation_id = '{shipmentId}'");
}
