using SynchroMesh.Broker;

namespace SynchroMesh.Messaging;

/// <summary>
/// Who may speak for a branch. Each branch logs in to the broker as its own user (<see cref="BranchTopology.User"/>,
/// made by the admin tool), and stamps every message it sends with that user name in the AMQP
/// <c>user-id</c> property, which RabbitMQ checks against the login: a branch cannot put another user's name there.
/// The head office takes a branch's message only when that validated name is the message's own branch's user.
/// </summary>
public static class BranchBrokerUsers
{
    /// <summary>At a branch: every message this bus sends or publishes carries <paramref name="username"/> as its user-id.</summary>
    public static void StampUserId(this IRabbitMqBusFactoryConfigurator cfg, string username)
    {
        // Sends and publishes run through separate pipes: the user-id goes on both.
        cfg.ConfigureSend(s => s.UseSendExecute(context => Stamp(context, username)));
        cfg.ConfigurePublish(p => p.UseExecute(context => Stamp(context, username)));
    }

    private static void Stamp(SendContext context, string username)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
        {
            rabbit.BasicProperties.UserId = username;
        }
    }

    /// <summary>The broker-validated user that published the message being consumed; null when it carries none.</summary>
    public static string? PublishedBy(ConsumeContext context) =>
        context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) && rabbit.Properties.IsUserIdPresent()
            ? rabbit.Properties.UserId
            : null;

    /// <summary>
    /// Refuses (to the error queue, with the reason) a message about <paramref name="branchId"/> that was not published
    /// by that branch's own broker user.
    /// </summary>
    public static void EnsurePublishedByBranch(ConsumeContext context, string branchId, string what)
    {
        var expected = BranchTopology.UserPrefix + branchId;
        var publishedBy = PublishedBy(context);
        if (publishedBy != expected)
        {
            throw new InvalidMessageException(publishedBy is null
                ? $"{what} rejected: it names branch '{branchId}' but carries no user-id; only the broker user '{expected}' may speak for that branch"
                : $"{what} rejected: it names branch '{branchId}' but was published by the broker user '{publishedBy}'; only '{expected}' may speak for that branch");
        }
    }
}
