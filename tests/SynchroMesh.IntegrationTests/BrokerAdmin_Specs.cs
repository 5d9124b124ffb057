using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client.Exceptions;
using SynchroMesh.Admin;
using SynchroMesh.ServiceDefaults.Security;

namespace SynchroMesh.IntegrationTests;

/// <summary><c>synchromesh-admin</c> run in-process against the real broker, as an operator runs it.</summary>
internal sealed class AdminRun
{
    private readonly Dictionary<string, string?> _environment = new()
    {
        [AdminSettings.ManagementUrlVariable] = $"http://{TestServers.RabbitHost}:{TestServers.RabbitManagementPort}",
        [AdminSettings.AdminUserVariable] = TestServers.RabbitUser,
        [AdminSettings.AdminPasswordVariable] = TestServers.RabbitPassword,
        [AdminSettings.AmqpHostVariable] = TestServers.RabbitHost,
        [AdminSettings.AmqpPortVariable] = TestServers.RabbitPort.ToString(),
    };

    public string? this[string variable]
    {
        set => _environment[variable] = value;
    }

    public async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommand.RunAsync(args, name => _environment.GetValueOrDefault(name), output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The settings a provision or rotate printed, as environment variables.</summary>
    public static IReadOnlyDictionary<string, string> Settings(string printed) =>
        printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
}

public sealed class When_an_operator_provisions_rotates_and_revokes_a_branch : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private string VirtualHost => $"sm-admin-{_suffix}";
    private string BranchId => $"admin-{_suffix}";

    [Fact]
    public async Task Should_give_working_settings_refuse_a_second_provision_rotate_the_password_and_revoke_it_all()
    {
        var admin = new AdminRun();
        var user = new BranchTopology(BranchId).User;

        var provisioned = await admin.RunAsync("provision", "--branch", BranchId, "--vhost", VirtualHost);
        Assert.True(provisioned.Code == 0, provisioned.Error);
        var settings = AdminRun.Settings(provisioned.Output);
        Assert.Equal(BranchId, settings["Branch__Id"]);
        Assert.Equal(user, settings["RabbitMq__Username"]);
        Assert.Equal(VirtualHost, settings["RabbitMq__VirtualHost"]);
        Assert.Matches("^[A-Za-z0-9]{32}$", settings["RabbitMq__Password"]);

        // The settings log in, and the branch may send into its own submit exchange, which reaches the head office.
        await using (var connection = await BranchBroker.ConnectAsync(settings))
        {
            var listed = await admin.RunAsync("list");
            Assert.Matches($@"(?m)^{BranchId}\s+{user}\s+{VirtualHost}\s+ok\s+ok\s+1$", listed.Output);
            Assert.Null(await BranchBroker.RefusalAsync(connection, channel =>
                channel.BasicPublishAsync(new BranchTopology(BranchId).SubmitExchange, "", false, new BasicProperties(), "{}"u8.ToArray()).AsTask()));
        }

        var routed = await TestServers.Management.BindingsFromAsync(VirtualHost, new BranchTopology(BranchId).SubmitExchange);
        Assert.Contains(routed, b => b.Destination == HeadOfficeTopology.BatchQueue);

        var again = await admin.RunAsync("provision", "--branch", BranchId, "--vhost", VirtualHost);
        Assert.Equal(1, again.Code);
        Assert.Contains($"{user} exists already", again.Error);

        var rotated = await admin.RunAsync("rotate", "--branch", BranchId, "--vhost", VirtualHost);
        Assert.True(rotated.Code == 0, rotated.Error);
        var newSettings = AdminRun.Settings(rotated.Output);
        Assert.NotEqual(settings["RabbitMq__Password"], newSettings["RabbitMq__Password"]);
        await Assert.ThrowsAsync<BrokerUnreachableException>(() => BranchBroker.ConnectAsync(settings));
        await using (var connection = await BranchBroker.ConnectAsync(newSettings))
        {
            var revoked = await admin.RunAsync("revoke", "--branch", BranchId, "--vhost", VirtualHost, "--delete-queues");
            Assert.True(revoked.Code == 0, revoked.Error);
            Assert.Contains($"revoked {user}", revoked.Error);
            // Revoking closes the branch's open connection at once.
            await Eventually.UntilAsync(() => !connection.IsOpen, TimeSpan.FromSeconds(10), "the revoked branch's connection is closed");
        }

        await Assert.ThrowsAsync<BrokerUnreachableException>(() => BranchBroker.ConnectAsync(newSettings));
        Assert.DoesNotContain(user, (await admin.RunAsync("list")).Output);
        Assert.Empty(await TestServers.Management.BindingsFromAsync(VirtualHost, new BranchTopology(BranchId).SubmitExchange));
        var rotateGone = await admin.RunAsync("rotate", "--branch", BranchId, "--vhost", VirtualHost);
        Assert.Equal(1, rotateGone.Code);
        Assert.Contains($"{user} does not exist", rotateGone.Error);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Should_write_the_settings_to_a_file_only_its_owner_can_read()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sm-admin-{_suffix}.env");
        try
        {
            var provisioned = await new AdminRun().RunAsync("provision", "--branch", BranchId, "--vhost", VirtualHost, "--env-file", file);
            Assert.True(provisioned.Code == 0, provisioned.Error);
            Assert.Equal("", provisioned.Output);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var settings = AdminRun.Settings(await File.ReadAllTextAsync(file));
            await using var connection = await BranchBroker.ConnectAsync(settings);
            Assert.True(connection.IsOpen);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public async Task InitializeAsync() => await TestServers.Management.CreateVirtualHostAsync(VirtualHost);

    public async Task DisposeAsync()
    {
        await TestServers.Management.DeleteUserAsync(new BranchTopology(BranchId).User);
        await TestServers.Management.DeleteVirtualHostAsync(VirtualHost);
    }
}

public sealed class When_the_admin_tool_is_given_wrong_input
{
    [Theory]
    [InlineData("Upper", "is not a branch id")]
    [InlineData("-dash-first", "is not a branch id")]
    [InlineData("a-very-long-branch-id-of-more-than-forty-chars", "is not a branch id")]
    public async Task Should_refuse_a_bad_branch_id_as_wrong_usage(string branchId, string reason)
    {
        var run = await new AdminRun().RunAsync("provision", "--branch", branchId);
        Assert.Equal(2, run.Code);
        Assert.Contains(reason, run.Error);
    }

    [Fact]
    public async Task Should_name_a_missing_or_wrong_setting_and_a_refused_administrator()
    {
        var missing = new AdminRun { [AdminSettings.AdminPasswordVariable] = null };
        var run = await missing.RunAsync("list");
        Assert.Equal(1, run.Code);
        Assert.Contains($"{AdminSettings.AdminPasswordVariable} is not set", run.Error);

        var badUrl = new AdminRun { [AdminSettings.ManagementUrlVariable] = "localhost:15672" };
        run = await badUrl.RunAsync("list");
        Assert.Equal(1, run.Code);
        Assert.Contains($"{AdminSettings.ManagementUrlVariable} 'localhost:15672' is not an http or https URL", run.Error);

        var refused = new AdminRun { [AdminSettings.AdminPasswordVariable] = "not-the-password" };
        run = await refused.RunAsync("list");
        Assert.Equal(1, run.Code);
        Assert.Contains($"refused the administrator '{TestServers.RabbitUser}'", run.Error);
    }

    [Fact]
    public async Task Should_describe_every_command_in_its_help()
    {
        var help = await new AdminRun().RunAsync("--help");
        Assert.Equal(0, help.Code);
        foreach (var command in new[] { "provision", "rotate", "revoke", "list" })
        {
            Assert.Matches(new Regex($@"(?m)^\s+{command}\s+\S"), help.Output);
        }
    }
}

public sealed class When_an_operator_makes_a_key_for_an_api_client
{
    [Fact]
    public async Task Should_print_the_key_once_and_the_settings_with_which_the_service_accepts_it_in_its_role()
    {
        var run = await new AdminRun().RunAsync("new-api-key", "--client", "pos-7", "--role", Roles.Till);
        Assert.Equal(0, run.Code);

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var key = Assert.Single(lines, line => line.StartsWith('#')).Split($"{ApiKeyOptions.Header}: ")[1];
        var settings = AdminRun.Settings(string.Join('\n', lines.Where(line => !line.StartsWith('#'))));
        Assert.DoesNotContain(settings.Values, value => value.Contains(key, StringComparison.Ordinal));

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":"), (string?)s.Value)))
            .Build();
        var accepted = ApiKeyOptions.Read(configuration, [Roles.Till]).Find(key);
        Assert.Equal(("pos-7", Roles.Till), (accepted?.Name, accepted?.Role));
        Assert.Null(ApiKeyOptions.Read(configuration, [Roles.Till]).Find(ApiKeyOptions.NewKey()));
    }
}

public sealed class When_a_branch_s_permissions_are_drawn_from_its_topology
{
    [Fact]
    public void Should_allow_every_name_the_branch_declares_and_none_of_another_branch_s()
    {
        var branch = new BranchTopology("a");
        var neighbour = new BranchTopology("a-b");
        var own = new Regex(branch.PermissionPattern);

        Assert.All(branch.Exchanges.Concat(branch.Queues), name => Assert.Matches(own, name));
        Assert.All(neighbour.Exchanges, name => Assert.DoesNotMatch(own, name));
        Assert.DoesNotMatch(own, HeadOfficeTopology.BatchQueue);
        Assert.DoesNotMatch(own, HeadOfficeTopology.HeartbeatQueue);
        Assert.DoesNotMatch(own, HeadOfficeTopology.SingleAckExchange);
        Assert.Contains(branch.SagaQueue + "_error", branch.Queues);
    }
}
