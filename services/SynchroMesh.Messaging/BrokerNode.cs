namespace SynchroMesh.Messaging;

/// <summary>One node of the broker: a host name or address and its AMQP port.</summary>
public sealed record BrokerNode(string Host, int Port)
{
    /// <summary>Reads <c>host</c> or <c>host:port</c>; a node without a port listens on <paramref name="defaultPort"/>.</summary>
    public static bool TryParse(string text, int defaultPort, out BrokerNode node)
    {
        node = new BrokerNode("", defaultPort);
        var colon = text.LastIndexOf(':');
        if (text.LastIndexOf(']') > colon)
        {
            colon = -1;
        }

        var host = colon < 0 ? text : text[..colon];
        var port = defaultPort;
        // An IPv6 address goes in brackets ([::1]:5672), as in a URL.
        if (string.IsNullOrWhiteSpace(host) || host.Contains(' ', StringComparison.Ordinal)
            || (host.Contains(':', StringComparison.Ordinal) && !(host.StartsWith('[') && host.EndsWith(']')))
            || (colon >= 0 && (!int.TryParse(text[(colon + 1)..], out port) || port is < 1 or > 65535)))
        {
            return false;
        }

        node = new BrokerNode(host, port);
        return true;
    }

    public override string ToString() => $"{Host}:{Port}";
}
