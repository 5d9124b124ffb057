using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace SynchroMesh.HeadOfficeIngest.DeadLetters;

/// <summary>
/// The error queues of the head office's virtual host (the head office's own, and the branches' queues that live on
/// its broker): what is in them, and putting a message back (retry) or away (discard).
/// </summary>
/// <remarks>
/// Messages are read over AMQP without acking them, so they stay in their queue, invisible to others, until this
/// look ends and they go back in their places (the channel closes). An action acks only the messages it took care
/// of, each after its audit record is committed: a retried message once its copy is confirmed in the queue it failed
/// in (a copy that could not be put back removes the record again), a discarded one at once. Whatever goes wrong on
/// the way leaves the message where it was. A retried copy that fails again
/// lands in the error queue again with its new reason; a copy published twice (a crash between the confirm and the
/// ack) is a duplicate, which the consumers take idempotently.
/// </remarks>
public sealed partial class DeadLetterBox(
    IOptions<RabbitMqOptions> rabbit,
    IOptions<DeadLetterOptions> options,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<DeadLetterBox> logger) : IDisposable
{
    private readonly Lazy<RabbitManagementClient> _management = new(() =>
    {
        var broker = rabbit.Value;
        var url = options.Value.ManagementUrl ?? new UriBuilder(RabbitManagementClient.LocalUrl) { Host = broker.Endpoints()[0].Host }.Uri;
        return new RabbitManagementClient(url, broker.Username, broker.Password);
    });

    /// <summary>Every error queue of the virtual host and its depth, by the management API (a few seconds old).</summary>
    public async Task<IReadOnlyList<DeadLetterQueue>> QueuesAsync(CancellationToken cancellationToken)
    {
        var queues = await _management.Value.QueuesAsync(rabbit.Value.VirtualHost, cancellationToken);
        return queues
            .Select(q => (Name: q.GetProperty("name").GetString()!, Messages: q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0))
            .Where(q => HeadOfficeTopology.IsErrorQueue(q.Name))
            .Select(q => new DeadLetterQueue(q.Name, HeadOfficeTopology.SourceOf(q.Name), q.Messages))
            .OrderBy(q => q.Queue, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The dead messages that match, at most <paramref name="limit"/>, each with its body when asked; all stay where they are.</summary>
    public async Task<IReadOnlyList<DeadMessage>> ListAsync(DeadMessageFilter filter, int limit, bool withBody, CancellationToken cancellationToken)
    {
        var found = new List<DeadMessage>();
        await using var connection = await BrokerConnections.OpenAsync(rabbit.Value, "head-office dead letters", cancellationToken);
        foreach (var queue in await QueuesToWalkAsync(filter, cancellationToken))
        {
            await WalkAsync(connection, queue, (message, _, _) =>
            {
                if (filter.Matches(message) && found.Count < limit)
                {
                    found.Add(withBody ? message : message with { Body = null });
                }

                return Task.FromResult(false);
            }, () => found.Count >= limit, cancellationToken);
            if (found.Count >= limit)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>
    /// Retries or discards every dead message that matches, recording each in the audit. Returns what was done and
    /// what could not be (the message then stays in its error queue).
    /// </summary>
    public async Task<DeadMessageActionResult> ActAsync(
        DeadMessageAction action, DeadMessageFilter filter, string actor, string note, CancellationToken cancellationToken)
    {
        var done = new List<DeadMessage>();
        var failed = new List<string>();
        await using var connection = await BrokerConnections.OpenAsync(rabbit.Value, "head-office dead letters", cancellationToken);
        foreach (var queue in await QueuesToWalkAsync(filter, cancellationToken))
        {
            await WalkAsync(connection, queue, async (message, got, channel) =>
            {
                if (!filter.Matches(message))
                {
                    return false;
                }

                // From here on the steps run to their end whatever the caller does: an action stopped half-way would
                // leave a copy without its audit record, or an audit record for a message still there.
                long audit;
                try
                {
                    audit = await AuditAsync(action, message, actor, note, CancellationToken.None);
                }
                catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException)
                {
                    failed.Add($"{message.MessageId} in {queue}: the audit record could not be written: {e.Message}");
                    LogActionFailed(logger, e, action, message.MessageId, queue);
                    return false;
                }

                if (action == DeadMessageAction.Retried)
                {
                    try
                    {
                        await channel.BasicPublishAsync("", HeadOfficeTopology.SourceOf(queue), mandatory: true, WithoutFault(got.BasicProperties), got.Body, CancellationToken.None);
                    }
                    catch (Exception e) when (e is RabbitMQ.Client.Exceptions.PublishException or OperationInterruptedException or AlreadyClosedException)
                    {
                        // Not republished: the message stays, and so must not its audit record.
                        await ForgetAuditAsync(audit);
                        failed.Add($"{message.MessageId} in {queue}: not put back in {HeadOfficeTopology.SourceOf(queue)}: {e.Message}");
                        LogActionFailed(logger, e, action, message.MessageId, queue);
                        return false;
                    }
                }

                try
                {
                    await channel.BasicAckAsync(got.DeliveryTag, multiple: false, CancellationToken.None);
                }
                catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException)
                {
                    // Retried (a copy is in its queue: the consumers take a second one idempotently) or audited, but
                    // still in the error queue as well: said so, and the audit record stays true.
                    failed.Add($"{message.MessageId} in {queue}: {action.ToString().ToLowerInvariant()}, but still in the error queue: {e.Message}");
                    LogActionFailed(logger, e, action, message.MessageId, queue);
                    return false;
                }

                done.Add(message with { Body = null });
                LogActed(logger, actor, action, message.MessageId, queue, note);
                return true;
            }, () => false, cancellationToken);
        }

        return new DeadMessageActionResult(action, done, failed);
    }

    public void Dispose()
    {
        if (_management.IsValueCreated)
        {
            _management.Value.Dispose();
        }
    }

    private async Task<IEnumerable<string>> QueuesToWalkAsync(DeadMessageFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Queue is { } queue)
        {
            return HeadOfficeTopology.IsErrorQueue(queue) ? [queue] : [];
        }

        return (await QueuesAsync(cancellationToken)).Select(q => q.Queue);
    }

    /// <summary>
    /// Takes the queue's messages one by one without acking them (as many as it held when the walk began, at most
    /// <see cref="DeadLetterOptions.MaxPerAction"/>), shows each to <paramref name="visit"/> (true: it acked it), and
    /// gives back the rest, in their places, by closing the channel.
    /// </summary>
    private async Task WalkAsync(
        IConnection connection, string queue, Func<DeadMessage, BasicGetResult, IChannel, Task<bool>> visit, Func<bool> enough,
        CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        try
        {
            uint depth;
            try
            {
                depth = await channel.MessageCountAsync(queue, cancellationToken);
            }
            catch (OperationInterruptedException)
            {
                // Gone since the listing (or never there): nothing to walk.
                return;
            }

            for (var i = 0; i < Math.Min(depth, (uint)options.Value.MaxPerAction) && !enough(); i++)
            {
                var got = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
                if (got is null)
                {
                    break;
                }

                await visit(Read(queue, got), got, channel);
            }
        }
        finally
        {
            await channel.CloseAsync(CancellationToken.None);
            await channel.DisposeAsync();
        }
    }

    private async Task<long> AuditAsync(DeadMessageAction action, DeadMessage message, string actor, string note, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeadOfficeDbContext>();
        var record = new DeadMessageAudit
        {
            At = clock.GetUtcNow(),
            Actor = actor,
            Action = action.ToString().ToLowerInvariant(),
            Note = note,
            Queue = message.Queue,
            MessageId = message.MessageId,
            MessageType = message.MessageType,
            BranchId = message.BranchId,
            FaultReason = message.Reason,
            FailedAt = message.FailedAt,
            Body = message.Body ?? "",
        };
        db.DeadMessageAudit.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return record.Id;
    }

    /// <summary>Removes the audit record of an action that did not happen (best effort: a record left says retried for a message still dead).</summary>
    private async Task ForgetAuditAsync(long id)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HeadOfficeDbContext>();
            await db.DeadMessageAudit.Where(a => a.Id == id).ExecuteDeleteAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
        {
            LogAuditNotForgotten(logger, e, id);
        }
    }

    /// <summary>The message as it was first sent: the fault's headers removed, its validated user-id kept (the head office is an impersonator).</summary>
    private static BasicProperties WithoutFault(IReadOnlyBasicProperties properties)
    {
        var copy = new BasicProperties(properties);
        if (copy.Headers is { } headers)
        {
            copy.Headers = headers.Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && h.Key != MessageHeaders.Reason && !h.Key.StartsWith("MT-Host-", StringComparison.Ordinal))
                .ToDictionary(h => h.Key, h => h.Value);
        }

        return copy;
    }

    private static DeadMessage Read(string queue, BasicGetResult got)
    {
        var properties = got.BasicProperties;
        var body = Encoding.UTF8.GetString(got.Body.Span);
        string? envelopeId = null;
        var type = "unreadable";
        try
        {
            using var envelope = JsonDocument.Parse(got.Body);
            if (envelope.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (envelope.RootElement.TryGetProperty("messageId", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    envelopeId = id.GetString();
                }

                if (envelope.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array &&
                    types.GetArrayLength() > 0 && types[0].ValueKind == JsonValueKind.String && types[0].GetString() is { } urn)
                {
                    type = urn[(urn.LastIndexOf(':') + 1)..];
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, or JSON that cannot be read as text (a lone surrogate): the reason says what was wrong; the
            // type stays "unreadable", and the message can still be looked at, retried or discarded.
        }

        var user = properties.IsUserIdPresent() ? properties.UserId : null;
        return new DeadMessage(
            queue,
            // No id of its own: named by its body's hash, the same in every look, so that an action takes this message.
            envelopeId ?? properties.MessageId ?? $"sha256-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(got.Body.Span))[..32]}",
            type,
            user is not null && user.StartsWith(BranchTopology.UserPrefix, StringComparison.Ordinal) ? user[BranchTopology.UserPrefix.Length..] : null,
            DateTimeOffset.TryParse(Header(properties, MessageHeaders.FaultTimestamp), out var at) ? at : null,
            Header(properties, MessageHeaders.FaultMessage) ?? Header(properties, MessageHeaders.Reason) ?? "no reason given",
            Header(properties, MessageHeaders.FaultExceptionType),
            got.Body.Length,
            body);
    }

    private static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => null,
                _ => value.ToString(),
            }
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor}: dead message {MessageId} in {Queue} {Action} ({Note})")]
    private static partial void LogActed(ILogger logger, string actor, DeadMessageAction action, string messageId, string queue, string note);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The audit record {Id} of an action that did not happen could not be removed")]
    private static partial void LogAuditNotForgotten(ILogger logger, Exception exception, long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead message {MessageId} in {Queue} could not be {Action}")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, DeadMessageAction action, string messageId, string queue);
}

/// <summary>What an action did: the messages it took care of, and those it could not (left in their queues).</summary>
public sealed record DeadMessageActionResult(DeadMessageAction Action, IReadOnlyList<DeadMessage> Done, IReadOnlyList<string> Failed);
