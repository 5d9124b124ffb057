using Microsoft.EntityFrameworkCore.Design;

namespace SynchroMesh.ServiceDefaults.Data;

/// <summary>
/// Lets <c>dotnet ef</c> (and specs that read the model) build a service's model as the service builds it, without
/// starting the service; no database is contacted.
/// </summary>
public abstract class DesignTimeDbContextFactory<TContext>(Func<DbContextOptions<TContext>, TContext> create) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args) =>
        create(new DbContextOptionsBuilder<TContext>().UseServiceDatabase("Host=design-time;Database=design-time").Options);
}
