using Microsoft.AspNetCore.Http.HttpResults;

namespace SynchroMesh.HeadOfficeIngest.Apis;

/// <summary>
/// The messages of the error queues: what they are and why they failed; retried or discarded by an operator, one or
/// all that match, each action in the audit.
/// </summary>
public static class DeadMessagesApi
{
    private const int MaxListed = 1000;

    public static IEndpointRouteBuilder MapDeadMessagesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/dead-messages").RequireAuthorization(HeadOfficeSecurity.ReaderPolicy).WithTags("Dead messages")
            .AddEndpointFilter<BrokerUnavailableFilter>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/queues", QueuesAsync).WithName("ListErrorQueues")
            .WithSummary("Every error queue of the head office's virtual host (its own and the branches') and how many messages it holds.");
        group.MapGet("/", ListAsync).WithName("ListDeadMessages")
            .WithSummary("The dead messages that match: type, branch, when and why; they stay where they are.");
        group.MapGet("/{messageId}", GetAsync).WithName("GetDeadMessage")
            .WithSummary("One dead message with its body.");
        group.MapGet("/audit", AuditAsync).WithName("ListDeadMessageAudit")
            .WithSummary("What operators did to dead messages, newest first: who, when, what and why.");

        var actions = group.MapGroup("/").RequireAuthorization(HeadOfficeSecurity.OperatorPolicy).AddEndpointFilter<AntiforgeryForCookies>();
        actions.MapPost("/retry", (DeadMessageActionRequest request, DeadLetterBox box, HttpContext context, CancellationToken cancellationToken) =>
                ActAsync(DeadMessageAction.Retried, request, box, context, cancellationToken))
            .WithName("RetryDeadMessages")
            .WithSummary("Puts the matching dead messages back in the queues they failed in (once their cause is fixed).");
        actions.MapPost("/discard", (DeadMessageActionRequest request, DeadLetterBox box, HttpContext context, CancellationToken cancellationToken) =>
                ActAsync(DeadMessageAction.Discarded, request, box, context, cancellationToken))
            .WithName("DiscardDeadMessages")
            .WithSummary("Removes the matching dead messages for good, each kept in the audit with who, when and why.");
        return app;
    }

    private static async Task<IReadOnlyList<DeadLetterQueue>> QueuesAsync(DeadLetterBox box, CancellationToken cancellationToken) =>
        await box.QueuesAsync(cancellationToken);

    /// <param name="limit">At most this many, 1 to 1000; 100 when absent.</param>
    private static async Task<Results<Ok<IReadOnlyList<DeadMessage>>, ValidationProblem>> ListAsync(
        DeadLetterBox box, CancellationToken cancellationToken,
        string? queue = null, string? branchId = null, string? messageType = null, int limit = 100)
    {
        if (limit is < 1 or > MaxListed)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"between 1 and {MaxListed}"] });
        }

        return TypedResults.Ok(await box.ListAsync(new DeadMessageFilter(queue, null, branchId, messageType), limit, withBody: false, cancellationToken));
    }

    private static async Task<Results<Ok<DeadMessage>, NotFound>> GetAsync(
        string messageId, DeadLetterBox box, CancellationToken cancellationToken, string? queue = null)
    {
        var found = await box.ListAsync(new DeadMessageFilter(queue, messageId), 1, withBody: true, cancellationToken);
        return found.Count == 0 ? TypedResults.NotFound() : TypedResults.Ok(found[0]);
    }

    private static async Task<DeadMessageAuditResponse[]> AuditAsync(HeadOfficeDbContext db, CancellationToken cancellationToken, int limit = 100) =>
        await db.DeadMessageAudit.AsNoTracking()
            .OrderByDescending(a => a.Id)
            .Take(Math.Clamp(limit, 1, MaxListed))
            .Select(a => new DeadMessageAuditResponse(a.At, a.Actor, a.Action, a.Note, a.Queue, a.MessageId, a.MessageType, a.BranchId, a.FaultReason))
            .ToArrayAsync(cancellationToken);

    private static async Task<Results<Ok<DeadMessageActionResult>, ValidationProblem>> ActAsync(
        DeadMessageAction action, DeadMessageActionRequest request, DeadLetterBox box, HttpContext context, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var actor = context.User.Identity?.Name ?? "unknown";
        var filter = new DeadMessageFilter(request.Queue, request.MessageId, request.BranchId, request.MessageType);
        return TypedResults.Ok(await box.ActAsync(action, filter, actor, request.Note!.Trim(), cancellationToken));
    }
}

/// <summary>Which dead messages to retry or discard (every given field must match; at least one is required), and why.</summary>
public sealed record DeadMessageActionRequest(string? Queue, string? MessageId, string? BranchId, string? MessageType, string? Note)
{
    public const int MaxNoteLength = 500;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Queue is null && MessageId is null && BranchId is null && MessageType is null)
        {
            errors["filter"] = ["name the messages: queue, messageId, branchId or messageType (every given one must match)"];
        }

        if (string.IsNullOrWhiteSpace(Note) || Note.Length > MaxNoteLength)
        {
            errors["note"] = [$"say why, in 1 to {MaxNoteLength} characters: it goes into the audit"];
        }

        return errors;
    }
}

/// <summary>One action on a dead message, as the audit keeps it.</summary>
public sealed record DeadMessageAuditResponse(
    DateTimeOffset At, string Actor, string Action, string Note, string Queue, string MessageId, string MessageType, string? BranchId, string FaultReason);
