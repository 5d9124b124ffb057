using System.ComponentModel.DataAnnotations;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SynchroMesh.ServiceDefaults.Configuration;
using ValidationResult = System.ComponentModel.DataAnnotations.ValidationResult;

namespace SynchroMesh.Messaging;

/// <summary>The broker connection, bound from the <c>RabbitMq</c> section (env <c>RabbitMq__Host</c> and so on).</summary>
public sealed class RabbitMqOptions : IValidatableObject
{
    public const string Section = "RabbitMq";

    /// <summary>
    /// How often every connection to the broker sends its heartbeat, and how long opening one may take: a dead link or
    /// node is noticed within seconds, by the bus's connection and the service's own alike.
    /// </summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    /// <inheritdoc cref="Heartbeat"/>
    public static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The TLS versions a connection to the broker may speak.</summary>
    public const SslProtocols TlsProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    [Required(ErrorMessage = Setting.Required)]
    public string Host { get; set; } = "";

    [Range(1, 65535, ErrorMessage = Setting.Between)]
    public int Port { get; set; } = 5672;

    [Required(ErrorMessage = Setting.Required)]
    public string VirtualHost { get; set; } = "/";

    [Required(ErrorMessage = Setting.Required)]
    public string Username { get; set; } = "";

    [Required(ErrorMessage = Setting.Required)]
    public string Password { get; set; } = "";

    /// <summary>
    /// A cluster's nodes, comma-separated <c>host:port</c> (the port defaults to <see cref="Port"/>): the service
    /// connects to one of them and, when that node goes, to another. Unset, the broker is <see cref="Host"/> alone, which
    /// still names it in the bus's addresses either way.
    /// </summary>
    public string? Nodes { get; set; }

    /// <summary>Declare our queues as quorum queues (for a RabbitMQ cluster); classic queues otherwise.</summary>
    public bool UseQuorumQueues { get; set; }

    /// <summary>
    /// Speak AMQPS (TLS 1.2 or 1.3) and check the broker's certificate against <see cref="TlsServerName"/> and the
    /// machine's trusted roots. Set <see cref="Port"/> to the broker's TLS port (5671 by convention) with it.
    /// </summary>
    public bool UseTls { get; set; }

    /// <summary>The name the broker's certificate must carry; <see cref="Host"/> when unset.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>
    /// A PEM file with the certificate authority that signed the broker's certificate (a company's private CA): the
    /// broker's certificate must chain to it, and to nothing else. The machine's trusted roots when unset.
    /// </summary>
    public string? TlsCaCertificate { get; set; }

    /// <summary>Where the broker listens: each of <see cref="Nodes"/>, or <see cref="Host"/> and <see cref="Port"/>.</summary>
    public IReadOnlyList<BrokerNode> Endpoints() =>
        string.IsNullOrWhiteSpace(Nodes)
            ? [new BrokerNode(Host, Port)]
            : Nodes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(node => BrokerNode.TryParse(node, Port, out var parsed) ? parsed : throw new FormatException(NotANode(node)))
                .ToArray();

    /// <summary>
    /// <see cref="Endpoints"/> in an order of this process's own, to try one after the other: a chain's branches spread
    /// over the cluster instead of all landing on the first node, and a lost connection moves on to the next node.
    /// </summary>
    public IReadOnlyList<BrokerNode> EndpointsInOwnOrder() => [.. Endpoints().OrderBy(_ => Random.Shared.Next())];

    /// <summary>The name the broker's certificate must carry: <see cref="TlsServerName"/>, or <see cref="Host"/>.</summary>
    public string CertificateName => CertificateNameFor(Host);

    /// <summary>The name a node reached at <paramref name="host"/> is asked for: <see cref="TlsServerName"/>, or that host.</summary>
    public string CertificateNameFor(string host) => string.IsNullOrWhiteSpace(TlsServerName) ? host : TlsServerName;

    /// <summary>
    /// The check of the broker's certificate against <see cref="TlsCaCertificate"/>; null when the machine's trusted
    /// roots decide.
    /// </summary>
    public RemoteCertificateValidationCallback? CertificateCheck() =>
        string.IsNullOrWhiteSpace(TlsCaCertificate)
            ? null
            : RabbitMqBusExtensions.TrustedBy(X509Certificate2.CreateFromPem(File.ReadAllText(TlsCaCertificate)));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var node in (Nodes ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!BrokerNode.TryParse(node, Port, out _))
            {
                yield return new ValidationResult(NotANode(node), [nameof(Nodes)]);
            }
        }

        if (!string.IsNullOrWhiteSpace(TlsCaCertificate) && !File.Exists(TlsCaCertificate))
        {
            yield return new ValidationResult(
                $"{Setting.Describe($"{Section}:{nameof(TlsCaCertificate)}")}: no file at '{TlsCaCertificate}'.", [nameof(TlsCaCertificate)]);
        }
    }

    private static string NotANode(string node) =>
        $"{Setting.Describe($"{Section}:{nameof(Nodes)}")}: '{node}' is not host or host:port with a port from 1 to 65535.";
}
