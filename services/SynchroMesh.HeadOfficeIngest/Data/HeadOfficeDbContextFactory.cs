namespace SynchroMesh.HeadOfficeIngest.Data;

public sealed class HeadOfficeDbContextFactory() : DesignTimeDbContextFactory<HeadOfficeDbContext>(options => new(options));
