using System.CommandLine;
using System.Globalization;
using SynchroMesh.Broker;
using SynchroMesh.Contracts;
using SynchroMesh.ServiceDefaults.Security;

namespace SynchroMesh.Admin;

/// <summary>
/// <c>synchromesh-admin</c>: gives each branch its broker user, rotates its password, takes it away, and lists the
/// branches with whether their rights and routes are as provisioned; makes the hashes and keys of the HTTP APIs'
/// credentials. It speaks to the RabbitMQ management API as an
/// administrator; where and as whom comes from the environment (<see cref="AdminSettings"/>).
/// </summary>
public static class AdminCommand
{
    private const int MinimumPasswordLength = 12;

    /// <summary>Runs the command line; returns the exit code (0 done, 1 refused or failed, 2 wrong usage).</summary>
    public static async Task<int> RunAsync(
        string[] args, Func<string, string?> environment, TextWriter output, TextWriter error,
        HttpMessageHandler? handler = null, CancellationToken cancellationToken = default, TextReader? input = null)
    {
        var branch = new Option<string>("--branch")
        {
            Description = $"the branch id: {BranchIds.Rule}",
            Required = true,
        };
        branch.Validators.Add(result =>
        {
            if (!BranchIds.IsValid(result.GetValueOrDefault<string>()))
            {
                result.AddError($"--branch '{result.GetValueOrDefault<string>()}' is not a branch id: {BranchIds.Rule}");
            }
        });
        var virtualHost = new Option<string>("--vhost") { Description = "the broker's virtual host", DefaultValueFactory = _ => "/" };
        virtualHost.Validators.Add(result =>
        {
            if (string.IsNullOrEmpty(result.GetValueOrDefault<string>()))
            {
                result.AddError("--vhost must not be empty");
            }
        });
        var envFile = new Option<FileInfo?>("--env-file")
        {
            Description = "write the branch's settings to this file (readable by its owner only) instead of standard output",
        };
        var replace = new Option<bool>("--rotate") { Description = "when the user exists already, give it a new password" };
        var deleteQueues = new Option<bool>("--delete-queues") { Description = "also delete the branch's queues and exchanges (their messages are lost)" };

        var provision = new Command("provision", "create a branch's broker user, allowed its own queues and exchanges only, route them to the head office, and print its settings")
        {
            branch, virtualHost, envFile, replace,
        };
        provision.SetAction((parse, token) => WithBrokerAsync(parse, environment, handler, async (access, settings) =>
        {
            var credentials = await access.ProvisionAsync(
                new BranchTopology(parse.GetValue(branch)!), parse.GetValue(virtualHost)!, environment(AdminSettings.BranchPasswordVariable),
                parse.GetValue(replace), token);
            await WriteSettingsAsync(parse, credentials, settings, parse.GetValue(envFile), token);
        }));

        var rotate = new Command("rotate", "give an existing branch user a new password, apply its rights and routes again, and print its settings")
        {
            branch, virtualHost, envFile,
        };
        rotate.SetAction((parse, token) => WithBrokerAsync(parse, environment, handler, async (access, settings) =>
        {
            var credentials = await access.RotateAsync(
                new BranchTopology(parse.GetValue(branch)!), parse.GetValue(virtualHost)!, environment(AdminSettings.BranchPasswordVariable), token);
            await WriteSettingsAsync(parse, credentials, settings, parse.GetValue(envFile), token);
        }));

        var revoke = new Command("revoke", "delete a branch's broker user and close its connections")
        {
            branch, virtualHost, deleteQueues,
        };
        revoke.SetAction((parse, token) => WithBrokerAsync(parse, environment, handler, async (access, _) =>
        {
            var topology = new BranchTopology(parse.GetValue(branch)!);
            var existed = await access.RevokeAsync(topology, parse.GetValue(virtualHost)!, parse.GetValue(deleteQueues), token);
            await parse.InvocationConfiguration.Error.WriteLineAsync(
                $"synchromesh-admin: {(existed ? "revoked" : "no such user:")} {topology.User}{(parse.GetValue(deleteQueues) ? $"; its queues and exchanges on {parse.GetValue(virtualHost)} deleted" : "")}");
        }));

        var list = new Command("list", "every branch user: its virtual hosts, whether its rights and routes are as provisioned, its open connections");
        list.SetAction((parse, token) => WithBrokerAsync(parse, environment, handler, async (access, _) =>
            await WriteListAsync(parse.InvocationConfiguration.Output, await access.ListAsync(token))));

        var hashPassword = new Command("hash-password", "read a password from standard input (one line) and print its hash, for Authentication__Operators__{name}__PasswordHash");
        hashPassword.SetAction(async (parse, token) =>
        {
            var password = await (input ?? Console.In).ReadLineAsync(token);
            if (string.IsNullOrEmpty(password) || password.Length < MinimumPasswordLength)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"synchromesh-admin: error: give a password of at least {MinimumPasswordLength} characters on standard input");
                return 1;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync(OperatorPasswords.Hash(password));
            return 0;
        });

        var client = new Option<string>("--client") { Description = "the client's name (a till, a reporting tool)", Required = true };
        var role = new Option<string>("--role") { Description = "till (a branch's API), reporting, viewer or operator (the head office's)", Required = true };
        role.AcceptOnlyFromAmong(Roles.Till, Roles.Reporting, Roles.Viewer, Roles.Operator);
        var newApiKey = new Command("new-api-key", "make a key for a client: prints the key (give it to the client) and the settings of the service that accepts it (its SHA-256, never the key)")
        {
            client, role,
        };
        newApiKey.SetAction(async (parse, _) =>
        {
            var key = ApiKeyOptions.NewKey();
            var name = parse.GetValue(client)!;
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"# the client sends: {ApiKeyOptions.Header}: {key}");
            foreach (var (setting, value) in ApiKeyOptions.EnvironmentFor(name, key, parse.GetValue(role)!))
            {
                await output.WriteLineAsync($"{setting}={value}");
            }
            return 0;
        });

        var root = new RootCommand(
            $"""
            Administers the head office's RabbitMQ for SynchroMesh branches, through the management API as an administrator.
            Environment: {AdminSettings.ManagementUrlVariable} (default {AdminSettings.DefaultManagementUrl}), {AdminSettings.AdminUserVariable} and {AdminSettings.AdminPasswordVariable} (required),
            {AdminSettings.AmqpHostVariable} and {AdminSettings.AmqpPortVariable} (the broker as a branch reaches it; default the management URL's host, port 5672),
            {AdminSettings.BranchPasswordVariable} (provision, rotate: this password instead of a random one).
            """)
        {
            provision, rotate, revoke, list, hashPassword, newApiKey,
        };

        var parsed = root.Parse(args);
        var code = await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return parsed.Errors.Count > 0 ? 2 : code;
    }

    private static async Task<int> WithBrokerAsync(
        ParseResult parse, Func<string, string?> environment, HttpMessageHandler? handler, Func<BranchAccess, AdminSettings, Task> action)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var settings = AdminSettings.From(environment);
            using var broker = new RabbitManagementClient(settings.ManagementUrl, settings.AdminUser, settings.AdminPassword, handler);
            await action(new BranchAccess(broker), settings);
            return 0;
        }
        catch (Exception e) when (e is AdminSettingsException or BranchAccessException or BrokerManagementException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"synchromesh-admin: error: {e.Message}");
            return 1;
        }
    }

    private static async Task WriteSettingsAsync(ParseResult parse, BranchCredentials credentials, AdminSettings settings, FileInfo? envFile, CancellationToken cancellationToken)
    {
        var lines = string.Concat(credentials.Settings(settings.AmqpHost, settings.AmqpPort).Select(s => $"{s.Key}={s.Value}\n"));
        if (envFile is null)
        {
            await parse.InvocationConfiguration.Output.WriteAsync(lines);
            return;
        }

        // Created readable by its owner only: it holds the branch's password.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new StreamWriter(envFile.FullName, options))
        {
            await file.WriteAsync(lines.AsMemory(), cancellationToken);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(envFile.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var branch = credentials.Branch;
        await parse.InvocationConfiguration.Error.WriteLineAsync(
            $"synchromesh-admin: {branch.User} may use its own queues and exchanges ({branch.BranchId}-*) on {credentials.VirtualHost} and nothing else; " +
            $"{branch.SubmitExchange} and {branch.HeartbeatExchange} feed the head office; settings in {envFile.FullName}");
    }

    private static async Task WriteListAsync(TextWriter output, IReadOnlyList<BranchAccessState> branches)
    {
        if (branches.Count == 0)
        {
            await output.WriteLineAsync("no branch users");
            return;
        }

        var rows = new List<string[]> { new[] { "BRANCH", "USER", "VHOST", "RIGHTS", "ROUTES", "CONNECTIONS" } };
        foreach (var state in branches)
        {
            var connections = state.OpenConnections.ToString(CultureInfo.InvariantCulture);
            if (state.VirtualHosts.Count == 0)
            {
                rows.Add([state.Branch.BranchId, state.Branch.User, "-", "none", "-", connections]);
            }

            foreach (var host in state.VirtualHosts)
            {
                var routes = host.MissingRoutes.Count == 0 ? "ok" : "missing " + string.Join(", ", host.MissingRoutes.Select(r => $"{r.From} -> {r.To}"));
                rows.Add([state.Branch.BranchId, state.Branch.User, host.Name, host.RightsAsProvisioned ? "ok" : "DIFFER", routes, connections]);
            }
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
    }
}
