using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling;

/// <summary>
/// A branch's ack timeouts under load: most are cancelled when the ack arrives, and some at the moment they fire.
/// Quartz's lock-free firing rounds deadlocked with unscheduling there (see PostgresQuartzSchedulerRegistrationExtensions).
/// </summary>
public sealed class When_timeouts_are_cancelled_as_they_fire(SchedulerSpecDatabase database) : IClassFixture<SchedulerSpecDatabase>
{
    [Fact]
    public async Task Should_fire_under_the_trigger_lock_and_never_deadlock()
    {
        var log = new QuartzLog();
        await using var host = await SchedulerSpecHost.Start(database.Database, (services, _) => services.AddSingleton<ILoggerProvider>(log));
        Assert.Contains(log.Lines, line => line.Contains("LockFreeFiringRounds is off", StringComparison.Ordinal));

        var tokens = new List<Guid>();
        for (var round = 0; round < 8; round++)
        {
            var due = DateTime.UtcNow.AddMilliseconds(1500);
            var scheduled = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => host.ScheduleReminder(Guid.NewGuid(), due)));
            tokens.AddRange(scheduled.Select(s => s.TokenId));

            // Cancelled around their due time, while the scheduler fires those it reaches first.
            await Eventually.UntilAsync(() => DateTime.UtcNow >= due.AddMilliseconds(-100), SpecTimeout.UnderLoad, "the timeouts are almost due");
            await Task.WhenAll(scheduled.Select(s => host.CancelReminder(s.TokenId)));
        }

        await Eventually.UntilAsync(async () => await database.Database.Scalar<long>("SELECT count(*) FROM qrtz_triggers") == 0, SpecTimeout.UnderLoad,
            "every timeout is fired or cancelled");
        Assert.DoesNotContain(log.Lines, line => line.Contains("40P01", StringComparison.Ordinal) || line.Contains("deadlock", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Every line Quartz logs, at Information and above.</summary>
    sealed class QuartzLog : ILoggerProvider
    {
        readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("Quartz", StringComparison.Ordinal) ? new Logger(_lines) : NullLogger;

        public void Dispose()
        {
        }

        static readonly ILogger NullLogger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception?.Message}");
                }
            }
        }
    }
}
