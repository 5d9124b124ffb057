using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using RabbitMQ.Client;

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
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
        };
        var tls = new SslOption { Enabled = false };
        if (options.UseTls)
        {
            tls = new SslOption
            {
                Enabled = true,
                ServerName = string.IsNullOrWhiteSpace(options.TlsServerName) ? options.Host : options.TlsServerName,
                Version = SslProtocols.Tls12 | SslProtocols.Tls13,
                AcceptablePolicyErrors = SslPolicyErrors.None,
            };
            if (!string.IsNullOrWhiteSpace(options.TlsCaCertificate))
            {
                tls.CertificateValidationCallback = RabbitMqBusExtensions.TrustedBy(X509Certificate2.CreateFromPem(File.ReadAllText(options.TlsCaCertificate)));
            }
        }

        var endpoints = options.Endpoints().OrderBy(_ => Random.Shared.Next()).Select(n => new AmqpTcpEndpoint(n.Host, n.Port, tls)).ToList();
        return factory.CreateConnectionAsync(endpoints, clientName, cancellationToken);
    }
}
