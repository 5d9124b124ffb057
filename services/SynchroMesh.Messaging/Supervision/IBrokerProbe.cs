namespace SynchroMesh.Messaging.Supervision;

/// <summary>Whether the broker can be reached at all: when it cannot, a part without progress is waiting, not stuck.</summary>
public interface IBrokerProbe
{
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
