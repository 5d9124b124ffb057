namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

public static class SagaSpecSchema
{
    public const string Create = """
        CREATE TABLE shipment_state (
            correlation_id uuid PRIMARY KEY,
            current_state text NOT NULL,
            item_count integer NOT NULL);
        CREATE TABLE shipment_audit (
            id bigserial PRIMARY KEY,
            correlation_id uuid NOT NULL,
            note text NOT NULL);
        """;
}
