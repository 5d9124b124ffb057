using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Npgsql;
using SynchroMesh.ServiceDefaults.Http;

namespace SynchroMesh.BranchOutbox.Tests;

public sealed class When_a_request_fails_because_the_database_is_down
{
    [Fact]
    public async Task Should_answer_503_with_retry_after_even_when_the_retrying_strategy_wrapped_the_failure()
    {
        // What EF's NpgsqlExecutionStrategy throws once its retries are spent (seen in the soak as a 500).
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
        var wrapped = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", refused);

        var context = new DefaultHttpContext { RequestServices = new EmptyServices() };
        var handled = await new DatabaseUnavailableHandler(new WrittenProblems()).TryHandleAsync(context, wrapped, CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task Should_leave_a_defect_to_the_default_500()
    {
        var context = new DefaultHttpContext { RequestServices = new EmptyServices() };
        var handled = await new DatabaseUnavailableHandler(new WrittenProblems())
            .TryHandleAsync(context, new InvalidOperationException("a defect"), CancellationToken.None);

        Assert.False(handled);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed class WrittenProblems : IProblemDetailsService
    {
        public ValueTask WriteAsync(ProblemDetailsContext context) => ValueTask.CompletedTask;
        public ValueTask<bool> TryWriteAsync(ProblemDetailsContext context) => ValueTask.FromResult(true);
    }
}
