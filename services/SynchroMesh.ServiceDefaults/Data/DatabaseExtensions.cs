using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SynchroMesh.ServiceDefaults.Health;

namespace SynchroMesh.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's DbContext on PostgreSQL, migrated at start-up and checked by /health/ready.
    /// </summary>
    public static IServiceCollection AddPostgresDatabase<TContext>(this IServiceCollection services, string connectionString)
        where TContext : DbContext
    {
        services.AddDbContext<TContext>(o => o.UseNpgsql(connectionString).UseSnakeCaseNamingConvention());
        services.AddSingleton<DatabaseReadiness>();
        services.AddHostedService<DatabaseMigrator<TContext>>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>Reads a connection string setting; a missing or malformed one stops start-up naming the setting.</summary>
    public static string ValidateConnectionString(string? connectionString, string settingName)
    {
        var env = settingName.Replace(":", "__", StringComparison.Ordinal);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"{settingName} (env {env}) is required: a PostgreSQL connection string.");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
            {
                throw new InvalidOperationException($"{settingName} (env {env}) must name a Host and a Database.");
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"{settingName} (env {env}) is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }
    }
}
