namespace SynchroMesh.FaultLab;

/// <summary>
/// One branch compared with what the head office holds of it, once the system is quiet.
/// Lost: a branch row the head office lacks. Duplicated: a key held more than once. Stale: held at another
/// version or with other values. Extra: held by the head office but unknown to the branch. Unacked: a branch
/// row whose current version is not acked. Stuck: an unacked row that nothing will send again (not waiting
/// to be sent, and its saga not waiting with a scheduled timeout).
/// </summary>
public sealed record InvariantReport(
    string BranchId, int BranchRows, int HeadOfficeRows, int Lost, int Duplicated, int Stale, int Extra, int Unacked, int Stuck)
{
    public bool IsClean => Lost == 0 && Duplicated == 0 && Stale == 0 && Extra == 0 && Unacked == 0 && Stuck == 0;

    public override string ToString() =>
        $"{BranchId}: branch rows {BranchRows}, head office rows {HeadOfficeRows}; lost {Lost}, duplicated {Duplicated}, " +
        $"stale {Stale}, extra {Extra}, unacked {Unacked}, stuck {Stuck}";
}
