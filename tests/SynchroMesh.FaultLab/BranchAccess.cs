using System.Diagnostics;
using MassTransit;
using SynchroMesh.Contracts;

namespace SynchroMesh.FaultLab;

/// <summary>
/// A branch's own broker user, made and taken away by <c>deploy/branch-access.sh</c>, the script operators run: every
/// branch the lab starts runs with the rights that script grants, so each spec checks they are enough.
/// </summary>
public static class BranchAccess
{
    private static readonly string Script = Path.Combine(RepositoryRoot.Path, "deploy", "branch-access.sh");

    /// <summary>Creates the branch's user in <paramref name="virtualHost"/>; returns the settings the script prints.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ProvisionAsync(string branchId, string virtualHost)
    {
        var output = await RunAsync("provision", "--branch", branchId, "--vhost", virtualHost);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }

    /// <summary>Deletes the branch's user and closes its connections.</summary>
    public static Task RevokeAsync(string branchId, string virtualHost) =>
        RunAsync("revoke", "--branch", branchId, "--vhost", virtualHost);

    /// <summary>A bus logged in as a provisioned branch, stamping its user-id as a BranchOutbox does.</summary>
    public static IBusControl CreateBranchBus(IReadOnlyDictionary<string, string> settings) =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(TestServers.RabbitHost, (ushort)TestServers.RabbitPort, settings["RabbitMq__VirtualHost"], h =>
            {
                h.Username(settings["RabbitMq__Username"]);
                h.Password(settings["RabbitMq__Password"]);
            });
            cfg.OverrideDefaultBusEndpointQueueName(settings["Branch__Id"] + "-bus");
            cfg.StampUserId(settings["RabbitMq__Username"]);
        });

    /// <summary>
    /// Sends a message to the head office as a BranchOutbox does: into the branch's own exchange (<c>{id}-submit</c>,
    /// or <c>{id}-heartbeat</c> for a heartbeat), which the provisioning script bound to the head office's queue.
    /// </summary>
    public static async Task SubmitAsync<T>(IBus bus, IReadOnlyDictionary<string, string> settings, T message, Action<SendContext<T>>? configure = null)
        where T : class
    {
        var exchange = $"{settings["Branch__Id"]}-{(message is BranchHeartbeat ? "heartbeat" : "submit")}";
        var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{exchange}"));
        await endpoint.Send(message, context => configure?.Invoke(context));
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["RABBITMQ_MANAGEMENT_URL"] = $"http://{TestServers.RabbitHost}:{TestServers.RabbitManagementPort}";
        info.Environment["RABBITMQ_ADMIN_USER"] = TestServers.RabbitUser;
        info.Environment["RABBITMQ_ADMIN_PASSWORD"] = TestServers.RabbitPassword;
        info.Environment["RABBITMQ_AMQP_HOST"] = TestServers.RabbitHost;
        info.Environment["RABBITMQ_AMQP_PORT"] = TestServers.RabbitPort.ToString();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"branch-access.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }
}
