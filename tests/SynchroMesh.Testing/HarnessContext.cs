using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace SynchroMesh.Testing;

/// <summary>
/// MassTransit's test harness over the services a spec's context registers: started by <see cref="StartAsync{T}"/>,
/// stopped and its services disposed with the context. One per test.
/// </summary>
public abstract class HarnessContext(IServiceProvider provider) : IAsyncDisposable
{
    protected IServiceProvider Provider { get; } = provider;

    public ITestHarness Harness { get; } = provider.GetRequiredService<ITestHarness>();

    protected static async Task<T> StartAsync<T>(T context) where T : HarnessContext
    {
        await context.Harness.Start();
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        if (Provider is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
