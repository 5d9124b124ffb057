namespace SynchroMesh.Messaging.Supervision;

/// <summary>
/// Restarts the bus in process: MassTransit drops its connection supervisor when the bus stops and starts every receive
/// endpoint with a new receive transport, so what a lost link left stuck (a transport waiting on a dead channel) is
/// left behind. An endpoint that was Faulted is not started again with the bus (see <see cref="EndpointRestarter"/>),
/// so those are restarted on their own afterwards. A stop is cancelled after <see cref="SupervisionOptions.RestartTimeout"/> (then MassTransit drops its
/// handle all the same); a start is not cancelled (MassTransit would stop the bus again) but is no longer waited for:
/// it goes on connecting in the background, as at the service's start.
/// </summary>
public sealed class BusRestarter(IBusControl bus, EndpointRestarter endpoints, IOptions<SupervisionOptions> options, TimeProvider clock)
{
    public async Task<string> RestartAsync(CancellationToken cancellationToken)
    {
        var limit = options.Value.RestartTimeout;
        var outcome = new List<string>();
        try
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stopping.CancelAfter(limit);
            await bus.StopAsync(stopping.Token).WaitAsync(limit, clock, cancellationToken);
            outcome.Add("stopped");
        }
        catch (TimeoutException)
        {
            outcome.Add($"stop did not end within {limit}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            outcome.Add($"stop failed: {ex.Message}");
        }

        try
        {
            var starting = bus.StartAsync(cancellationToken);
            await Task.WhenAny(starting, Task.Delay(limit, clock, cancellationToken));
            outcome.Add(starting.IsCompletedSuccessfully ? "started" : $"started, not ready within {limit} (still connecting)");
            outcome.Add(await endpoints.RestartNotReadyAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            outcome.Add($"start failed: {ex.Message}");
        }

        return string.Join(", ", outcome);
    }
}
