using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace SynchroMesh.FaultLab;

/// <summary>
/// A branch's network link to the broker, simulated: a TCP proxy on loopback that a test can cut (open
/// connections are reset and new ones refused), restore, and slow down with added latency.
/// </summary>
public sealed class LinkProxy : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly Lock _gate = new();
    private readonly HashSet<Socket> _sockets = [];
    private TcpListener? _listener;

    public LinkProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        Port = LocalPorts.Next();
        Restore();
    }

    /// <summary>The local port to connect to instead of the target's.</summary>
    public int Port { get; }

    public bool IsUp
    {
        get
        {
            lock (_gate)
            {
                return _listener is not null;
            }
        }
    }

    /// <summary>Added one way, to every chunk of bytes in both directions.</summary>
    public TimeSpan Latency { get; set; }

    private long _bytesUp;

    /// <summary>Bytes read from the branch's side so far: tells a test that something is on its way.</summary>
    public long BytesUp => Interlocked.Read(ref _bytesUp);

    /// <summary>How many times the link was cut; for reports.</summary>
    public int Cuts { get; private set; }

    /// <summary>Takes the link down: every open connection is reset, new ones are refused.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            if (_listener is null)
            {
                return;
            }

            _listener.Stop();
            _listener = null;
            Cuts++;
            foreach (var socket in _sockets)
            {
                Reset(socket);
            }

            _sockets.Clear();
        }
    }

    /// <summary>Brings the link back up on the same port.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _ = AcceptAsync(listener);
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await upstream.ConnectAsync(_targetHost, _targetPort);
        }
        catch (SocketException)
        {
            Reset(client);
            upstream.Dispose();
            return;
        }

        if (!Track(client, upstream))
        {
            return;
        }

        // Either direction ending (or a cut) ends the connection as a whole.
        await Task.WhenAny(PumpAsync(client, upstream, countUp: true), PumpAsync(upstream, client, countUp: false));
        lock (_gate)
        {
            _sockets.Remove(client);
            _sockets.Remove(upstream);
        }

        Reset(client);
        Reset(upstream);
    }

    private bool Track(Socket client, Socket upstream)
    {
        lock (_gate)
        {
            if (_listener is null)
            {
                Reset(client);
                Reset(upstream);
                return false;
            }

            _sockets.Add(client);
            _sockets.Add(upstream);
            return true;
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool countUp)
    {
        var delayed = Channel.CreateUnbounded<(byte[] Bytes, DateTime Due)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = WriteAsync(delayed.Reader, to);
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                if (countUp)
                {
                    Interlocked.Add(ref _bytesUp, read);
                }

                await delayed.Writer.WriteAsync((buffer[..read], DateTime.UtcNow + Latency));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The link was cut or the peer went away.
        }

        delayed.Writer.TryComplete();
        await writer;
    }

    private static async Task WriteAsync(ChannelReader<(byte[] Bytes, DateTime Due)> reader, Socket to)
    {
        try
        {
            await foreach (var (bytes, due) in reader.ReadAllAsync())
            {
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                await to.SendAsync(bytes, SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The other side is gone; the relay closes both.
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

}
