using System.Security.Cryptography;
using System.Text;

namespace SynchroMesh.BranchOutbox.StateMachines;

/// <summary>
/// The saga of a product is found from the business keys every sync message carries, so no message needs
/// to carry a saga id and a redelivered or resent message always finds the same instance.
/// </summary>
public static class ProductSagaId
{
    public static Guid For(string branchId, long externalId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"synchromesh/product/{branchId}/{externalId}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
