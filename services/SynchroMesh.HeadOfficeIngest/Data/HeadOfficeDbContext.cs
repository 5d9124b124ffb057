using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;

namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>
/// The head office's database: every branch's sales, and what is built on them (the sales report).
/// </summary>
/// <remarks>
/// Add a migration with:
/// <c>dotnet ef migrations add NAME --project services/SynchroMesh.HeadOfficeIngest --output-dir Data/Migrations</c>
/// </remarks>
public sealed class HeadOfficeDbContext(DbContextOptions<HeadOfficeDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public const string Schema = "head_office";

    public DbSet<StoredProduct> Products => Set<StoredProduct>();

    /// <summary>Each branch's latest heartbeat: its backlog as it last reported it.</summary>
    public DbSet<BranchHeartbeatRecord> Heartbeats => Set<BranchHeartbeatRecord>();

    /// <summary>Each branch's backlog and lag over time, for the console's charts.</summary>
    public DbSet<BranchHeartbeatSample> HeartbeatHistory => Set<BranchHeartbeatSample>();

    /// <summary>What operators did to dead messages: retries and discards, with the message.</summary>
    public DbSet<DeadMessageAudit> DeadMessageAudit => Set<DeadMessageAudit>();

    /// <summary>
    /// The keys that sign the console's cookies and antiforgery tokens, shared by every replica and kept across
    /// restarts: a person signed in at one replica is signed in at all.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The sales report's projection (schema <c>reports</c>).</summary>
    public DbSet<SalesLine> SalesLines => Set<SalesLine>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HeadOfficeDbContext).Assembly);
    }
}
