using System.Net;
using System.Net.Sockets;

namespace SynchroMesh.FaultLab;

/// <summary>
/// Loopback ports for the services and link proxies a test starts to listen on.
/// </summary>
/// <remarks>
/// Taken below the kernel's ephemeral range (32768 and up here): a port the kernel hands out for "port 0" is one it
/// may hand out again as the local end of any outgoing connection before our process binds it, which made a service
/// fail at start with "address already in use". Also below 25672, RabbitMQ's distribution port, which a test that
/// restarts the broker needs free. A port is never given twice in one process.
/// </remarks>
public static class LocalPorts
{
    private const int First = 20_000;
    private const int Last = 25_000;

    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(First, Last);
                if (!Given.Contains(port) && IsFree(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free loopback port between {First} and {Last}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
