using SynchroMesh.ServiceDefaults.Health;

namespace SynchroMesh.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's DbContext on PostgreSQL, migrated at start-up and checked by /health/ready.
    /// </summary>
    /// <param name="services">The service's container.</param>
    /// <param name="connectionString">The database's connection string, as configured.</param>
    /// <param name="sessionOptions">
    /// The service's own session settings (<c>-c name=value</c>), added to its connections after the defaults of
    /// <see cref="WithServiceDefaults"/> and the configured ones.
    /// </param>
    public static IServiceCollection AddPostgresDatabase<TContext>(this IServiceCollection services, string connectionString,
        string? sessionOptions = null)
        where TContext : DbContext
    {
        // Options built once, not for every request and message (profiled: a twentieth of the branch API's CPU).
        var serviceConnectionString = WithServiceDefaults(connectionString, sessionOptions);
        services.AddDbContext<TContext>(
            o => o.UseServiceDatabase(serviceConnectionString),
            optionsLifetime: ServiceLifetime.Singleton);
        services.AddSingleton<DatabaseReadiness>();
        services.AddHostedService<DatabaseMigrator<TContext>>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>("database", tags: [ServiceHealth.Ready]);
        return services;
    }

    /// <summary>A service's database: PostgreSQL, its tables and columns named in snake case as SQL writers expect.</summary>
    public static TBuilder UseServiceDatabase<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();
        return options;
    }

    /// <summary>The most connections one service opens to its database unless its connection string says otherwise.</summary>
    public const int DefaultMaxPoolSize = 30;

    /// <summary>
    /// Two defaults for the service's own connections, each kept when the connection string sets it:
    /// <list type="bullet">
    /// <item>At most <see cref="DefaultMaxPoolSize"/> connections (Npgsql's default is 100). A burst beyond what the
    /// database can serve then waits for a connection instead of opening more: in the online benchmark a short stall
    /// made four branches open hundreds (each a TLS handshake and a server process), PostgreSQL ran out of connection
    /// slots, and the stall became half a minute of refused writes.</item>
    /// <item>PostgreSQL's planner told that reading a page by index costs little more than reading it in sequence
    /// (<c>random_page_cost</c> 1.1 instead of 4, the usual setting for SSDs and tables that fit in memory). With the
    /// default, marking a batch's rows acked or a pass's rows sent (up to 1,000 and 8,000 rows picked by id from an array) hashed and scanned
    /// the whole products table every time once it held some 50,000 rows: the largest CPU cost of a drain, and one
    /// that grows with the table.</item>
    /// </list>
    /// Then the service's own <paramref name="sessionOptions"/> (<c>-c name=value</c>), if any, after whatever
    /// <c>Options</c> the connection string already has.
    /// </summary>
    public static string WithServiceDefaults(string connectionString, string? sessionOptions = null)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("maxpoolsize") && !given.Contains("maximumpoolsize"))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (string.IsNullOrEmpty(builder.Options))
        {
            builder.Options = "-c random_page_cost=1.1";
        }

        if (!string.IsNullOrWhiteSpace(sessionOptions))
        {
            builder.Options = $"{builder.Options} {sessionOptions.Trim()}";
        }

        return builder.ConnectionString;
    }

    /// <summary>Reads a connection string setting; a missing or malformed one stops start-up naming the setting.</summary>
    public static string ValidateConnectionString(string? connectionString, string settingName)
    {
        var setting = Setting.Describe(settingName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"{setting} is required: a PostgreSQL connection string.");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
            {
                throw new InvalidOperationException($"{setting} must name a Host and a Database.");
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"{setting} is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }
    }
}
