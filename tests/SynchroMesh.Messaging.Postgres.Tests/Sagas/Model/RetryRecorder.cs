using System.Collections.Concurrent;

namespace SynchroMesh.Messaging.Postgres.Tests.Sagas.Model;

/// <summary>Records why the saga endpoint retried, so specs can show a conflict really happened.</summary>
public sealed class RetryRecorder : IRetryObserver
{
    readonly ConcurrentQueue<Exception> _exceptions = new();

    public IReadOnlyCollection<Exception> Exceptions => _exceptions;

    public Task PreRetry<T>(RetryContext<T> context)
        where T : class, PipeContext
    {
        _exceptions.Enqueue(context.Exception);
        return Task.CompletedTask;
    }

    public Task PostCreate<T>(RetryPolicyContext<T> context)
        where T : class, PipeContext =>
        Task.CompletedTask;

    public Task PostFault<T>(RetryContext<T> context)
        where T : class, PipeContext =>
        Task.CompletedTask;

    public Task RetryFault<T>(RetryContext<T> context)
        where T : class, PipeContext =>
        Task.CompletedTask;

    public Task RetryComplete<T>(RetryContext<T> context)
        where T : class, PipeContext =>
        Task.CompletedTask;
}
