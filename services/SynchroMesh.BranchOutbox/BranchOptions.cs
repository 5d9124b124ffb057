using System.ComponentModel.DataAnnotations;
using SynchroMesh.Broker;

namespace SynchroMesh.BranchOutbox;

/// <summary>Which branch this process serves (env <c>Branch__Id</c>).</summary>
public sealed class BranchOptions
{
    public const string Section = "Branch";

    [Required(ErrorMessage = Setting.Required)]
    [RegularExpression(BranchIds.Pattern, ErrorMessage = "{0} must be " + BranchIds.Rule + ".")]
    public string Id { get; set; } = "";

    /// <summary>This branch's queues, exchanges and broker user.</summary>
    public BranchTopology Topology => new(Id);
}
