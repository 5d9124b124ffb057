using System.Text.RegularExpressions;

namespace SynchroMesh.Contracts;

/// <summary>
/// The shape of a branch id. It names queues and routing keys, so it is kept to what both accept safely.
/// </summary>
public static partial class BranchIds
{
    public const int MaxLength = 40;

    public const string Pattern = "^[a-z0-9][a-z0-9-]{0,39}$";

    /// <summary>The pattern in words, for the message that refuses an id.</summary>
    public const string Rule = "lower-case letters, digits and dashes, at most 40, starting with a letter or digit";

    public static bool IsValid(string? branchId) => branchId is not null && ValidBranchId().IsMatch(branchId);

    [GeneratedRegex(Pattern)]
    private static partial Regex ValidBranchId();
}
