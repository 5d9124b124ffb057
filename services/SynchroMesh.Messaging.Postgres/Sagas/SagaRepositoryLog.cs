namespace SynchroMesh.Messaging.Postgres.Sagas;

internal static partial class SagaRepositoryLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug,
        Message = "Saga {SagaType} {CorrelationId} was inserted by another consumer first; loading it instead")]
    public static partial void InsertLostRace(this ILogger logger, string sagaType, Guid correlationId);
}
