using System.Text.Json;
using MassTransit.Middleware.Rescue;

namespace SynchroMesh.Messaging;

/// <summary>
/// First filter of every endpoint's error pipe: a message whose body could not be read gets a reason that says so
/// (and where, when the parser knows), instead of the bare parser message ("'N' is an invalid start of a value")
/// that MassTransit would put in the error queue's <c>MT-Fault-Message</c> header.
/// </summary>
public sealed class ReadableFaultReasonFilter : IFilter<ExceptionReceiveContext>
{
    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (Describe(context) is not { } reason)
        {
            return next.Send(context);
        }

        // No inner exception: MassTransit writes the innermost exception's message as the reason.
        return next.Send(new RescueExceptionReceiveContext(context, new InvalidMessageException(reason)));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("readableFaultReason");

    private static string? Describe(ExceptionReceiveContext context)
    {
        var chain = Chain(context.Exception).ToList();
        var json = chain.OfType<JsonException>().LastOrDefault();
        if (json is null && !chain.Any(e => e is System.Runtime.Serialization.SerializationException))
        {
            return null;
        }

        var problem = json?.Message ?? chain[^1].Message;
        var where = json?.Path is { Length: > 0 } path ? $" at {path}" : "";
        return $"The message body could not be read as a {context.ContentType?.MediaType ?? "message"} message{where}: " +
            $"{problem} ({chain[^1].GetType().Name}). It was not processed.";
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
