using System.Net.Security;

namespace SynchroMesh.Messaging;

/// <summary>
/// A plain AMQP connection to the configured broker (any of its nodes, the same TLS policy as the bus), for work the
/// bus does not do: reading and moving messages of error queues.
/// </summary>
public static class BrokerConnections
{
    public static Task<IConnection> OpenAsync(RabbitMqOptions options, string clientName, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            VirtualHost = options.VirtualHost,
            UserName = options.Username,
            Password = options.Password,
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = RabbitMqOptions.ConnectionTimeout,
            RequestedHeartbeat = RabbitMqOptions.Heartbeat,
        };
        var tls = new SslOption { Enabled = false };
        if (options.UseTls)
        {
            tls = new SslOption
            {
                Enabled = true,
                ServerName = options.CertificateName,
                Version = RabbitMqOptions.TlsProtocols,
                AcceptablePolicyErrors = SslPolicyErrors.None,
                CertificateValidationCallback = options.CertificateCheck(),
            };
        }

        var endpoints = options.EndpointsInOwnOrder().Select(n => new AmqpTcpEndpoint(n.Host, n.Port, tls)).ToList();
        return factory.CreateConnectionAsync(endpoints, clientName, cancellationToken);
    }
}
