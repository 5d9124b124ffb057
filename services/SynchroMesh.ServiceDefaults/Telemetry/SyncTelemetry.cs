using System.Diagnostics;
using SynchroMesh.ServiceDefaults.Extensions;

namespace SynchroMesh.ServiceDefaults.Telemetry;

/// <summary>
/// Our spans and the attribute names every service puts on them, so a trace viewer finds a sale by its branch id and
/// external id whichever process recorded the span.
/// </summary>
public static class SyncTelemetry
{
    public static readonly ActivitySource Source = new(ServiceDefaultsExtensions.TelemetryName);

    public const string BranchId = "synchromesh.branch.id";
    public const string BatchId = "synchromesh.batch.id";

    /// <summary>The external ids (row ids at the branch) a span is about: an int64 array.</summary>
    public const string ExternalIds = "synchromesh.product.external_ids";

    /// <summary>One product's external id, on spans about a single product.</summary>
    public const string ExternalId = "synchromesh.product.external_id";

    /// <summary>Tags the span of the current message (MassTransit's consume span) with what it is about.</summary>
    public static void TagCurrent(string branchId, Guid? batchId, IEnumerable<long> externalIds)
    {
        var activity = Activity.Current;
        if (activity is null || !activity.IsAllDataRequested)
        {
            return;
        }

        activity.SetTag(BranchId, branchId);
        if (batchId is { } id)
        {
            activity.SetTag(BatchId, id.ToString());
        }

        activity.SetTag(ExternalIds, externalIds.ToArray());
    }
}
