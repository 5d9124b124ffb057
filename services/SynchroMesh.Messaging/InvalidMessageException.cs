namespace SynchroMesh.Messaging;

/// <summary>
/// A message whose content can never be processed. It is not retried: it goes straight to the endpoint's error
/// queue, where the exception message tells a person what is wrong with it.
/// </summary>
public sealed class InvalidMessageException(string message) : Exception(message);
