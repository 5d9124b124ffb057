using MassTransit.Middleware.Rescue;
using MassTransit.Transports;

namespace SynchroMesh.Messaging;

/// <summary>
/// A message that no consumer of the endpoint takes (an unknown or misrouted message type) goes to the endpoint's
/// error queue, like any other bad input, with a reason that names what arrived and where, instead of MassTransit's
/// silent <c>_skipped</c> queue that nobody watches.
/// </summary>
public sealed class NotConsumedFilter : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        if (!context.TryGetPayload(out IErrorTransport? errorTransport))
        {
            await next.Send(context);
            return;
        }

        var types = context.TryGetPayload(out ConsumeContext? consumed) && consumed.SupportedMessageTypes.Any()
            ? string.Join(", ", consumed.SupportedMessageTypes)
            : "none given";
        var reason = $"No consumer on {context.InputAddress} takes this message (message types: {types}); it was not processed.";
        await errorTransport.Send(new RescueExceptionReceiveContext(context, new MessageNotConsumedException(context.InputAddress, reason)));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("notConsumedToErrorQueue");
}
