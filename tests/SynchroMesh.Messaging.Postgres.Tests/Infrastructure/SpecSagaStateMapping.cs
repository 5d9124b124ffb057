using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SynchroMesh.Messaging.Postgres.Tests.Infrastructure;

public static class SpecSagaStateMapping
{
    /// <summary>
    /// Maps a spec saga to its table with the columns every spec saga has (snake_case, xmin as the row version);
    /// the caller maps the saga's own.
    /// </summary>
    public static EntityTypeBuilder<TState> SpecSagaState<TState>(this ModelBuilder modelBuilder, string table)
        where TState : class, ISpecSagaState
    {
        var state = modelBuilder.Entity<TState>();
        state.ToTable(table);
        state.HasKey(x => x.CorrelationId);
        state.Property(x => x.CorrelationId).HasColumnName("correlation_id");
        state.Property(x => x.CurrentState).HasColumnName("current_state");
        state.Property(x => x.RowVersion).IsRowVersion();
        return state;
    }
}
