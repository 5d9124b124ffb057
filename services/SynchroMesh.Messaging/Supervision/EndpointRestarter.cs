using MassTransit.Transports;

namespace SynchroMesh.Messaging.Supervision;

/// <summary>
/// Stops and starts again each receive endpoint that is not Ready. This is the way back for an endpoint whose receive
/// transport gave up: MassTransit 8.5 does not retry an authentication failure (a password refused for a while during
/// a rotation leaves the endpoint Faulted for good, even once the broker takes the password again), and a restart of
/// the whole bus does not help, because <c>ReceiveEndpointCollection</c> starts only the endpoints that are not
/// "started", and a Faulted one counts as started. Stopping an endpoint drops its transport handle, so that starting
/// it builds a new receive transport.
/// </summary>
public sealed class EndpointRestarter(IBusControl bus, IOptions<SupervisionOptions> options, TimeProvider clock)
{
    public async Task<string> RestartNotReadyAsync(CancellationToken cancellationToken)
    {
        var limit = options.Value.RestartTimeout;
        var outcomes = new List<string>();
        foreach (var (name, health) in bus.CheckHealth().Endpoints.Where(e => e.Value.Status != BusHealthStatus.Healthy))
        {
            if (health.ReceiveEndpoint is not ReceiveEndpoint endpoint)
            {
                outcomes.Add($"{name}: not a receive endpoint that can be restarted");
                continue;
            }

            try
            {
                using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stopping.CancelAfter(limit);
                await endpoint.Stop(stopping.Token).WaitAsync(limit, clock, cancellationToken);
                endpoint.Start(CancellationToken.None);
                outcomes.Add($"{name}: restarted");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                outcomes.Add($"{name}: restart failed ({ex.GetType().Name}: {ex.Message})");
            }
        }

        return outcomes.Count == 0 ? "every endpoint was ready again" : string.Join("; ", outcomes);
    }
}
