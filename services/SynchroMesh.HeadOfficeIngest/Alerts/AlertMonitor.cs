using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SynchroMesh.HeadOfficeIngest.Alerts;

/// <summary>
/// Looks at everything an alert is about, now: the branches (as <see cref="BranchStatusReader"/> sees them), the error
/// queues, and the certificates the head office depends on. Every replica answers the same, from the database and
/// the broker; nothing rests on one process's memory.
/// </summary>
public sealed class AlertMonitor(
    BranchStatusReader branches,
    DeadLetterBox deadLetters,
    IOptions<AlertOptions> options,
    IOptions<RabbitMqOptions> rabbit,
    TimeProvider clock)
{
    public async Task<AlertReport> EvaluateAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var alerts = new List<Alert>();
        IReadOnlyList<BranchStatus> statuses = [];
        try
        {
            statuses = await branches.ReadAsync(cancellationToken);
        }
        catch (Npgsql.NpgsqlException e)
        {
            alerts.Add(new Alert(AlertKinds.CheckFailed, "branches", $"the branches could not be read from the database: {e.Message}", null, 0, 0));
        }

        alerts.AddRange(statuses.SelectMany(branch => AlertRules.ForBranch(branch, settings, now)));

        long deadMessages = 0;
        try
        {
            foreach (var queue in await deadLetters.QueuesAsync(cancellationToken))
            {
                deadMessages += queue.Messages;
                alerts.AddRange(AlertRules.ForQueue(queue));
            }
        }
        catch (Exception e) when (e is HttpRequestException or Broker.BrokerManagementException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            alerts.Add(new Alert(AlertKinds.CheckFailed, "error queues", $"the error queues could not be read: {e.Message}", null, 0, 0));
        }

        foreach (var (name, expires) in await CertificatesAsync(cancellationToken))
        {
            alerts.AddRange(AlertRules.ForCertificate(name, expires, settings, now));
        }

        return new AlertReport(now, alerts, statuses.Count, statuses.Count(b => b.Online), deadMessages);
    }

    /// <summary>Each watched certificate's name and end of validity; one that cannot be read is reported as expired now, named so.</summary>
    private async Task<IReadOnlyList<(string Name, DateTimeOffset Expires)>> CertificatesAsync(CancellationToken cancellationToken)
    {
        var found = new List<(string, DateTimeOffset)>();
        var files = options.Value.CertificateFiles.ToList();
        if (!string.IsNullOrWhiteSpace(rabbit.Value.TlsCaCertificate))
        {
            files.Add(rabbit.Value.TlsCaCertificate);
        }

        foreach (var file in files.Distinct())
        {
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificateFromFile(file);
                found.Add((file, certificate.NotAfter.ToUniversalTime()));
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                found.Add(($"{file} (unreadable: {e.Message})", clock.GetUtcNow()));
            }
        }

        if (rabbit.Value.UseTls)
        {
            var node = rabbit.Value.Endpoints()[0];
            try
            {
                using var tcp = new TcpClient();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(RabbitMqOptions.ConnectionTimeout);
                await tcp.ConnectAsync(node.Host, node.Port, timeout.Token);
                // Only to read the certificate's dates: the bus's own connection checks its trust.
                await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = rabbit.Value.CertificateNameFor(node.Host),
                }, timeout.Token);
                if (tls.RemoteCertificate is { } remote)
                {
                    using var certificate = new X509Certificate2(remote);
                    found.Add(($"broker {node}", certificate.NotAfter.ToUniversalTime()));
                }
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException && !cancellationToken.IsCancellationRequested)
            {
                // The broker unreachable is the supervisor's and the health check's news, not a certificate's.
            }
        }

        return found;
    }
}

/// <summary>What fires now, and the figures the page's totals show beside it.</summary>
public sealed record AlertReport(DateTimeOffset At, IReadOnlyList<Alert> Alerts, int Branches, int BranchesOnline, long DeadMessages);
