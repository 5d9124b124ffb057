using SynchroMesh.AppHost;
using SynchroMesh.ServiceDefaults.Health;

// The head office and its branches as projects, against the development servers (deploy/servers.sh) or any others
// named in configuration, with the Aspire dashboard showing every service's traces, metrics and logs.
var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder.Configuration);

var postgresPassword = builder.AddParameter("postgres-password", secret: true);
var rabbitPassword = builder.AddParameter("rabbitmq-password", secret: true);

// The HTTP APIs' credentials: given as parameters, or made for this run and shown with the parameters in the
// dashboard. The services get their hashes, as an operator configures them.
var credentials = ApiCredentials.From(builder.Configuration);
builder.AddParameter(ApiCredentials.TillKeyParameter, credentials.TillKey, secret: true);
builder.AddParameter(ApiCredentials.ReportingKeyParameter, credentials.ReportingKey, secret: true);
builder.AddParameter(ApiCredentials.OperatorPasswordParameter, credentials.OperatorPassword, secret: true);

var headOfficeDatabase = builder.AddConnectionString("head-office-db", settings.Database("head_office", postgresPassword));
var headOffice = builder.AddProject<Projects.SynchroMesh_HeadOfficeIngest>("head-office", launchProfileName: null)
    .WithHttpEndpoint(port: settings.HttpPort)
    .WithReference(headOfficeDatabase, "HeadOffice")
    .WithEnvironment(context => context.Add(credentials.HeadOfficeSettings()))
    .WithBroker(settings, settings.RabbitUser, rabbitPassword)
    .WithHttpHealthCheck(ServiceHealth.ReadyPath);

// Each branch speaks to the broker as its own user, provisioned when the application starts (a new password each
// run), as an operator does with synchromesh-admin.
var access = await BranchAccounts.ProvisionAsync(settings, builder.Configuration["Parameters:rabbitmq-password"]);
for (var i = 0; i < settings.Branches.Count; i++)
{
    var branch = settings.Branches[i];
    var database = builder.AddConnectionString($"{branch}-db", settings.Database(branch, postgresPassword));
    var brokerPassword = builder.AddParameter($"{branch}-broker-password", access[branch], secret: true);
    builder.AddProject<Projects.SynchroMesh_BranchOutbox>($"branch-{branch}", launchProfileName: null)
        .WithHttpEndpoint(port: settings.HttpPort + i + 1)
        .WithReference(database, "Branch")
        .WithEnvironment("Branch__Id", branch)
        .WithEnvironment(context => context.Add(credentials.BranchSettings()))
        .WithBroker(settings, new BranchTopology(branch).User, brokerPassword)
        .WithHttpHealthCheck(ServiceHealth.ReadyPath)
        .WaitFor(headOffice);
}

await builder.Build().RunAsync();
