using System.Net.Sockets;
using SynchroMesh.Messaging;

namespace SynchroMesh.Messaging.Supervision;

/// <summary>
/// The broker is reachable when a TCP connection to its host and port (to any node of a cluster) opens within a few
/// seconds: the same way as the bus goes, over the same link, without the AMQP handshake the bus itself would need.
/// </summary>
public sealed class TcpBrokerProbe(IOptions<RabbitMqOptions> broker) : IBrokerProbe
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        foreach (var node in broker.Value.Endpoints())
        {
            if (await IsReachableAsync(node, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<bool> IsReachableAsync(BrokerNode node, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(node.Host, node.Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
