using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SynchroMesh.BranchOutbox.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; no database is contacted.</summary>
public sealed class BranchDbContextFactory : IDesignTimeDbContextFactory<BranchDbContext>
{
    public BranchDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BranchDbContext>()
            .UseNpgsql("Host=design-time;Database=design-time")
            .UseSnakeCaseNamingConvention()
            .Options);
}
