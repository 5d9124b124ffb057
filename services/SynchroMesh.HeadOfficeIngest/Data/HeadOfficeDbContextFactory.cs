using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; no database is contacted.</summary>
public sealed class HeadOfficeDbContextFactory : IDesignTimeDbContextFactory<HeadOfficeDbContext>
{
    public HeadOfficeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<HeadOfficeDbContext>()
            .UseNpgsql("Host=design-time;Database=design-time")
            .UseSnakeCaseNamingConvention()
            .Options);
}
