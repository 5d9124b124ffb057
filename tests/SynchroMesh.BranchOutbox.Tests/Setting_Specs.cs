using Microsoft.Extensions.Configuration;
using SynchroMesh.ServiceDefaults.Extensions;

namespace SynchroMesh.BranchOutbox.Tests;

public sealed class When_settings_are_out_of_range
{
    [Fact]
    public void Should_name_each_setting_by_its_key_and_its_environment_variable_with_the_rule_it_breaks()
    {
        var configuration = Configuration(new()
        {
            ["Sync:AckTimeout"] = "00:00:00.050",
            ["Sync:BatchSize"] = "0",
            ["Branch:Id"] = "",
        });

        var sync = Assert.Throws<InvalidOperationException>(() => configuration.GetValidated<SyncOptions>(SyncOptions.Section));
        Assert.Equal(
            [
                "Sync:AckTimeout (env Sync__AckTimeout) must be a TimeSpan between 00:00:00.100 and 1.00:00:00.",
                "Sync:BatchSize (env Sync__BatchSize) must be between 1 and 1000.",
            ],
            sync.Message.Split(Environment.NewLine));
        var branch = Assert.Throws<InvalidOperationException>(() => configuration.GetValidated<BranchOptions>(BranchOptions.Section));
        Assert.Equal("Branch:Id (env Branch__Id) is required.", branch.Message);
    }

    [Fact]
    public void Should_check_an_objects_own_rules_once_its_values_are_in_range()
    {
        var configuration = Configuration(new()
        {
            ["RabbitMq:Host"] = "rabbit",
            ["RabbitMq:Username"] = "branch-a",
            ["RabbitMq:Password"] = "secret",
            ["RabbitMq:Nodes"] = "rabbit-1:5701,rabbit-2:notaport",
        });

        var nodes = Assert.Throws<InvalidOperationException>(() => configuration.GetValidated<RabbitMqOptions>(RabbitMqOptions.Section));
        Assert.Equal("RabbitMq:Nodes (env RabbitMq__Nodes): 'rabbit-2:notaport' is not host or host:port with a port from 1 to 65535.", nodes.Message);
    }

    [Fact]
    public void Should_stop_options_bound_at_start_with_the_same_messages()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(new() { ["Sync:HeartbeatInterval"] = "02:00:00" }));
        services.AddValidatedOptions<SyncOptions>(SyncOptions.Section);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SyncOptions>>().Value);
        Assert.Equal(["Sync:HeartbeatInterval (env Sync__HeartbeatInterval) must be a TimeSpan between 00:00:01 and 01:00:00."], failure.Failures);
    }

    [Fact]
    public void Should_leave_named_options_to_the_code_that_configures_them()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(new()));
        services.AddValidatedOptions<SyncOptions>(SyncOptions.Section);
        services.Configure<SyncOptions>("replay", o => o.BatchSize = 5_000);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(5_000, provider.GetRequiredService<IOptionsMonitor<SyncOptions>>().Get("replay").BatchSize);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
