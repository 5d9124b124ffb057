namespace SynchroMesh.ServiceDefaults.Security;

/// <summary>The roles our HTTP APIs know, one claim each on the signed-in user.</summary>
public static class Roles
{
    /// <summary>A till (or other sales writer) of a branch: the branch's whole API.</summary>
    public const string Till = "till";

    /// <summary>A reporting client of the head office: its read APIs.</summary>
    public const string Reporting = "reporting";

    /// <summary>A person who watches the head office's console and read APIs, and changes nothing.</summary>
    public const string Viewer = "viewer";

    /// <summary>A person who runs the network: the console, the read APIs and the actions (retry, discard).</summary>
    public const string Operator = "operator";
}
