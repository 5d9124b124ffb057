using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SynchroMesh.Messaging;

namespace SynchroMesh.Messaging.Supervision;

/// <summary>
/// The broker is reachable when a TCP connection to its host and port opens within a few seconds: the same way as the
/// bus goes, over the same link, without the AMQP handshake the bus itself would need.
/// </summary>
public sealed class TcpBrokerProbe(IOptions<RabbitMqOptions> broker) : IBrokerProbe
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(broker.Value.Host, broker.Value.Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
