using System.Reflection;

namespace SynchroMesh.Messaging;

/// <summary>
/// Works around a defect of RabbitMQ.Client 7.2.2 (the newest this machine serves): disposing a channel disposes the
/// <see cref="SemaphoreSlim"/> that lets one RPC at a time onto it (and the one of publisher confirms) while other calls
/// may be queued on it, and a SemaphoreSlim disposed under a waiter never completes that waiter: neither the caller's
/// token nor the client's continuation timeout releases it. rabbitmq-dotnet-client issue #1976, fixed upstream after
/// 7.2.2 by no longer disposing them (pull request #1987).
/// </summary>
/// <remarks>
/// MassTransit declares a receive endpoint's exchanges at once (<c>Task.WhenAll</c> in its
/// <c>ConfigureRabbitMqTopologyFilter</c>), so a link lost while an endpoint set up its topology disposed the channel with
/// one declaration queued behind another: the endpoint's receive transport then waited forever, never faulted, never
/// reconnected, and the endpoint stayed Degraded until the process was restarted, its messages piling up in its queue.
/// <see cref="Protect"/> gives a new channel semaphores that ignore disposal, which
/// is what the fixed client does; a queued call then fails with the channel instead of waiting forever. It changes
/// nothing when the client's fields are not the ones of 7.2.2: <see cref="IsNeeded"/> says so, and a spec fails then, so
/// that the workaround is removed with the upgrade that makes it unneeded.
/// </remarks>
public static class ChannelSemaphores
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;

    private static readonly Type? ChannelType = typeof(IChannel).Assembly.GetType("RabbitMQ.Client.Impl.Channel");
    private static readonly FieldInfo? RpcSemaphore = ChannelType?.GetField("_rpcSemaphore", Instance);
    private static readonly FieldInfo? ConfirmSemaphore = ChannelType?.GetField("_confirmSemaphore", Instance);

    /// <summary>Whether this RabbitMQ.Client has the semaphores the workaround replaces.</summary>
    public static bool IsNeeded { get; } =
        RpcSemaphore?.FieldType == typeof(SemaphoreSlim) && ConfirmSemaphore?.FieldType == typeof(SemaphoreSlim);

    /// <summary>
    /// Replaces the channel's semaphores with ones that survive its disposal; call before anything else uses the channel.
    /// Returns whether it did (false for a channel of another type, one already protected, or one in use).
    /// </summary>
    public static bool Protect(IChannel channel)
    {
        if (!IsNeeded || channel.GetType() != ChannelType)
        {
            return false;
        }

        return Replace(channel, RpcSemaphore!) | Replace(channel, ConfirmSemaphore!);
    }

    private static bool Replace(IChannel channel, FieldInfo field)
    {
        var current = (SemaphoreSlim)field.GetValue(channel)!;
        // Only a free semaphore may be swapped: a holder would release the new one without having taken it.
        if (current is KeptSemaphore || current.CurrentCount != 1)
        {
            return false;
        }

        field.SetValue(channel, new KeptSemaphore());
        current.Dispose();
        return true;
    }

    /// <summary>A one-at-a-time semaphore whose disposal leaves its waiters queued, to be released or cancelled.</summary>
    private sealed class KeptSemaphore() : SemaphoreSlim(1, 1)
    {
        protected override void Dispose(bool disposing)
        {
            // Nothing to reclaim: without AvailableWaitHandle read, a SemaphoreSlim holds no unmanaged resource.
        }
    }
}
