namespace SynchroMesh.IntegrationTests;

/// <summary>
/// All integration specs share one broker (and some stop it), and every head office consumes the same queue,
/// so they run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection
{
    public const string Name = "real servers";
}
