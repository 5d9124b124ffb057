namespace SynchroMesh.IntegrationTests;

public sealed class When_a_setting_is_missing_or_invalid
{
    [Theory]
    [InlineData("SynchroMesh.BranchOutbox", "Branch__Id", null, "Branch:Id")]
    [InlineData("SynchroMesh.BranchOutbox", "Branch__Id", "Not A Branch!", "Branch:Id")]
    [InlineData("SynchroMesh.BranchOutbox", "Sync__AckTimeout", "-00:00:05", "Sync:AckTimeout")]
    [InlineData("SynchroMesh.BranchOutbox", "ConnectionStrings__Branch", null, "ConnectionStrings:Branch")]
    [InlineData("SynchroMesh.BranchOutbox", "RabbitMq__Password", null, "RabbitMq:Password")]
    [InlineData("SynchroMesh.HeadOfficeIngest", "ConnectionStrings__HeadOffice", null, "ConnectionStrings:HeadOffice")]
    [InlineData("SynchroMesh.HeadOfficeIngest", "RabbitMq__Port", "99999", "RabbitMq:Port")]
    [InlineData("SynchroMesh.HeadOfficeIngest", "RabbitMq__Nodes", "127.0.0.1:5701,127.0.0.1:notaport", "RabbitMq:Nodes")]
    [InlineData("SynchroMesh.BranchOutbox", "RabbitMq__Nodes", ":5701", "RabbitMq:Nodes")]
    [InlineData("SynchroMesh.BranchOutbox", "Authentication__ApiKeys__till__Sha256", "not-a-hash", "Authentication:ApiKeys:till:Sha256")]
    [InlineData("SynchroMesh.BranchOutbox", "Authentication__Oidc__Authority", "https://idp.example", "Authentication:ApiKeys holds no till's key")]
    [InlineData("SynchroMesh.HeadOfficeIngest", "Authentication__Operators__ops__PasswordHash", "plain-password", "Authentication:Operators:ops:PasswordHash")]
    [InlineData("SynchroMesh.HeadOfficeIngest", "Authentication__Jwt__Authority", "https://idp.example", "Authentication:Jwt:Audience")]
    [InlineData("SynchroMesh.HeadOfficeIngest", "Authentication__Oidc__ClientId", "console", "No one could sign in to the head office")]
    public async Task Should_stop_start_up_with_a_message_naming_the_setting(string project, string variable, string? value, string named)
    {
        var settings = new Dictionary<string, string>(TestServers.BrokerSettings("/"))
        {
            ["Branch__Id"] = "config-spec",
            ["ConnectionStrings__Branch"] = TestDatabase.ConnectionStringFor("sm_it_config_spec"),
            ["ConnectionStrings__HeadOffice"] = TestDatabase.ConnectionStringFor("sm_it_config_spec"),
        };
        settings.Remove(variable);
        if (value is not null)
        {
            settings[variable] = value;
        }

        await using var service = new ServiceProcess(project, settings);
        service.Start();

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, service.RecentLog);
    }
}
