using MassTransit.RabbitMqTransport;

namespace SynchroMesh.Messaging;

/// <summary>
/// First in every receive endpoint's channel pipe, before MassTransit declares the endpoint's topology on a new channel:
/// see <see cref="ChannelSemaphores"/>.
/// </summary>
public sealed class ProtectChannelFilter : IFilter<ChannelContext>
{
    public Task Send(ChannelContext context, IPipe<ChannelContext> next)
    {
        ChannelSemaphores.Protect(context.Channel);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("protectChannelSemaphores");
}
