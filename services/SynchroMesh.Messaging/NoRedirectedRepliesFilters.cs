using MassTransit.Middleware;

namespace SynchroMesh.Messaging;

/// <summary>
/// A message may ask, through its envelope's <c>FaultAddress</c> or <c>ResponseAddress</c>, that its fault or reply go
/// somewhere; MassTransit sends it there with the receiver's rights. A branch could so have the head office write into
/// another branch's queue. Our messages never ask for either, so the endpoints that take branches' messages refuse
/// one that does (<see cref="RefuseRedirectedReplies"/>, before any consumer runs, so no consumer's fault is sent),
/// and the error pipe of every endpoint sends no fault to an address a message chose (<see cref="NoRedirectedFaultsFilter"/>).
/// </summary>
public static class NoRedirectedReplies
{
    /// <summary>On an endpoint that takes branches' messages: refuse, to the error queue, one that names where its fault or reply should go.</summary>
    public static void RefuseRedirectedReplies(this IReceiveEndpointConfigurator endpoint) =>
        endpoint.UseFilter(new RefuseRedirectedRepliesFilter());

    private sealed class RefuseRedirectedRepliesFilter : IFilter<ConsumeContext>
    {
        public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            if (context.FaultAddress is not null || context.ResponseAddress is not null)
            {
                throw new InvalidMessageException(
                    $"message {context.MessageId} rejected: it names a fault address ({context.FaultAddress?.ToString() ?? "none"}) or a response " +
                    $"address ({context.ResponseAddress?.ToString() ?? "none"}); the head office sends a branch's replies to that branch's own exchanges only");
            }

            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("refuseRedirectedReplies");
    }
}

/// <summary>
/// MassTransit's fault generation for the error pipe, except for a message that names its own fault or response
/// address: its fault goes nowhere (the error queue keeps the message and the reason). See <see cref="NoRedirectedReplies"/>.
/// </summary>
public sealed class NoRedirectedFaultsFilter : IFilter<ExceptionReceiveContext>
{
    private readonly GenerateFaultFilter _generate = new();

    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next) =>
        context.TryGetPayload<ConsumeContext>(out var consume) && (consume.FaultAddress is not null || consume.ResponseAddress is not null)
            ? next.Send(context)
            : _generate.Send(context, next);

    public void Probe(ProbeContext context) => context.CreateFilterScope("noRedirectedFaults");
}
