using MassTransit.Serialization;
using SynchroMesh.Contracts;

namespace SynchroMesh.FaultLab;

/// <summary>
/// MassTransit's JSON envelope written by hand, as a foreign or broken program would put a message on a queue: a spec
/// can make any part of it wrong, which the typed bus would refuse to send.
/// </summary>
public static class RawMessages
{
    /// <summary>The content type MassTransit gives its JSON envelope.</summary>
    public static string ContentType { get; } = SystemTextJsonMessageSerializer.JsonContentType.MediaType!;

    /// <summary>An envelope of a <see cref="ProductSubmitted"/> with this body.</summary>
    public static string Envelope(string message) => Envelope(MessageUrn.ForTypeString<ProductSubmitted>(), message);

    public static string Envelope(string messageType, string message) =>
        $$"""{"messageId":"{{Guid.NewGuid()}}","messageType":["{{messageType}}"],"message":{{message}}}""";

    /// <summary>A sale's <see cref="ProductSubmitted"/> body (external id 1, version 1); each value is written into the JSON as given.</summary>
    public static string Product(string branchId, string date = "2026-11-25", string tax = "0.1", string cost = "2.5", string product = "tea") =>
        $$"""
        {"branchId":"{{branchId}}","externalId":1,"version":1,"date":"{{date}}","product":"{{product}}","region":"north",
         "qty":1,"cost":{{cost}},"tax":{{tax}},"createdAt":"2026-11-25T10:00:00Z","updatedAt":"2026-11-25T10:00:00Z"}
        """;
}
