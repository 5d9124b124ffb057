using SynchroMesh.ServiceDefaults.Configuration;

namespace SynchroMesh.AppHost;

/// <summary>
/// Each branch's broker user, provisioned through the management API with a new password for this run, in the run's
/// virtual host (made when missing, so that a run can keep to a virtual host of its own on a shared broker).
/// </summary>
public static class BranchAccounts
{
    /// <returns>Each branch's password, by branch id.</returns>
    public static async Task<IReadOnlyDictionary<string, string>> ProvisionAsync(AppHostSettings settings, string? adminPassword)
    {
        if (string.IsNullOrEmpty(adminPassword))
        {
            throw new InvalidOperationException(
                $"{Setting.Describe("Parameters:rabbitmq-password")} is required: the broker administrator's password");
        }

        using var broker = new RabbitManagementClient(settings.ManagementUrl, settings.RabbitUser, adminPassword);
        var access = new BranchAccess(broker);
        var passwords = new Dictionary<string, string>();
        try
        {
            await broker.CreateVirtualHostAsync(settings.RabbitVirtualHost);
            foreach (var branch in settings.Branches)
            {
                var credentials = await access.ProvisionAsync(new BranchTopology(branch), settings.RabbitVirtualHost, replacePassword: true);
                passwords[branch] = credentials.Password;
            }
        }
        catch (Exception e) when (e is BrokerManagementException or BranchAccessException)
        {
            throw new InvalidOperationException(
                $"could not provision the branches' broker users at {settings.ManagementUrl} ({e.Message}); are the servers up? bash deploy/servers.sh start", e);
        }

        return passwords;
    }
}
