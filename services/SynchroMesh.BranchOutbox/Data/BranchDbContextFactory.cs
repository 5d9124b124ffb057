namespace SynchroMesh.BranchOutbox.Data;

public sealed class BranchDbContextFactory() : DesignTimeDbContextFactory<BranchDbContext>(options => new(options));
