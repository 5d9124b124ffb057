using System.Collections.Concurrent;

namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

/// <summary>What one host's reminder consumer received, with the scheduling token header it carried.</summary>
public sealed class ReceivedReminders
{
    readonly ConcurrentDictionary<Guid, Guid?> _tokens = new();

    public void Add(Guid reminderId, Guid? tokenId) => _tokens[reminderId] = tokenId;

    public bool Contains(Guid reminderId) => _tokens.ContainsKey(reminderId);

    public Guid? TokenOf(Guid reminderId) => _tokens.TryGetValue(reminderId, out var token) ? token : null;
}
