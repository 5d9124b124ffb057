using SynchroMesh.ServiceDefaults.Data;

namespace SynchroMesh.Messaging;

/// <summary>
/// Holds every consumed message until the service's database is migrated. Without it, a service started while
/// its database server is down would burn each message's retries and move it to the error queue. The wait ends
/// with the endpoint's cancellation when the service stops; MassTransit then returns the message to its queue
/// (a canceled receive is never moved to the error queue).
/// </summary>
public sealed class DatabaseReadyFilter(DatabaseReadiness readiness) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        if (!readiness.IsMigrated)
        {
            await readiness.WaitAsync(context.CancellationToken);
        }

        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("waitForDatabase");
}
