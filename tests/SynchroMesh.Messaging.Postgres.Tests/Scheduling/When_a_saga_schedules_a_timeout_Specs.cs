using SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

public sealed class When_a_saga_schedules_a_timeout(SchedulerSpecDatabase database) : IClassFixture<SchedulerSpecDatabase>
{
    [Fact]
    public async Task Should_receive_its_timeout_event()
    {
        await database.Database.Execute(ParcelDbContext.Schema);
        await using var host = await SchedulerSpecHost.Start(database.Database, (services, x) =>
        {
            services.AddDbContext<ParcelDbContext>(o => o.UseNpgsql(database.Database.ConnectionString));
            x.AddSagaStateMachine<ParcelStateMachine, ParcelState, ParcelStateDefinition>()
                .PostgresRepository<ParcelState, ParcelDbContext>();
        });
        var parcelId = Guid.NewGuid();

        await host.Services.GetRequiredService<IBus>().Publish(new ParcelRegistered { ParcelId = parcelId });

        await Eventually.UntilAsync(
            async () => await database.Database.Scalar<long>(
                $"SELECT count(*) FROM parcel_state WHERE correlation_id = '{parcelId}' AND current_state = 'Abandoned'") == 1,
            SpecTimeout.Default, "the parcel saga receives its pickup timeout");
    }
}
