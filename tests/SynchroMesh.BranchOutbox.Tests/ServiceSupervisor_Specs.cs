using System.Diagnostics.Metrics;
using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using SynchroMesh.BranchOutbox.Supervision;
using SynchroMesh.Messaging.Supervision;

namespace SynchroMesh.BranchOutbox.Tests;

/// <summary>A supervisor over parts that the spec wedges and heals, a broker it makes reachable or not, and a bus restart it records.</summary>
internal sealed class SupervisorSpecContext : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();

    public SupervisorSpecContext(params ISupervisedPart[] parts)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "synchromesh.supervisor.recoveries")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _counted, value));
        _listener.Start();
        Supervisor = new ServiceSupervisor(parts, Broker, State, new SupervisionMetrics(_services.GetRequiredService<IMeterFactory>()),
            Options.Create(new SupervisionOptions()), Clock, NullLogger<ServiceSupervisor>.Instance);
    }

    private long _counted;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2026-12-02T08:00:00Z"));
    public FakeBroker Broker { get; } = new();
    public SupervisionState State { get; } = new();
    public ServiceSupervisor Supervisor { get; }

    /// <summary>Recoveries the metric counted.</summary>
    public long Counted => Interlocked.Read(ref _counted);

    /// <summary>A supervisor that has checked its parts once: each part's grace counts from this first look.</summary>
    public static async Task<SupervisorSpecContext> CheckedOnceAsync(params ISupervisedPart[] parts)
    {
        var spec = new SupervisorSpecContext(parts);
        try
        {
            await spec.AdvanceAndCheckAsync(TimeSpan.Zero);
            return spec;
        }
        catch
        {
            spec.Dispose();
            throw;
        }
    }

    public async Task<HealthStatus> LiveAsync() =>
        (await new SupervisionHealthCheck(State).CheckHealthAsync(new HealthCheckContext())).Status;

    public async Task AdvanceAndCheckAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await Supervisor.CheckAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    internal sealed class FakeBroker : IBrokerProbe
    {
        public bool Reachable { get; set; } = true;
        public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => Task.FromResult(Reachable);
    }

}

/// <summary>A part the spec wedges (a problem) and heals (none), which counts its restarts.</summary>
internal sealed class WedgeablePart(string name, TimeSpan grace) : ISupervisedPart
{
    public string Name => name;
    public TimeSpan Grace => grace;
    public RecoveryAction Recovery => RecoveryAction.RestartEndpoints;
    public string? Wedged { get; set; }
    public int Restarts { get; private set; }
    public string? Problem(DateTimeOffset now) => Wedged;

    public Task<string> RecoverAsync(CancellationToken cancellationToken)
    {
        Restarts++;
        return Task.FromResult("product-sync: restarted");
    }
}

public sealed class When_a_part_makes_no_progress_while_the_broker_is_reachable
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Should_restart_it_in_process_after_its_grace_then_ask_for_a_process_restart_then_stand_down_when_it_heals()
    {
        var part = new WedgeablePart("receive-endpoints", Grace) { Wedged = "not ready: product-sync Degraded" };
        using var spec = await SupervisorSpecContext.CheckedOnceAsync(part);

        await spec.AdvanceAndCheckAsync(Grace - TimeSpan.FromSeconds(1));
        Assert.Equal(0, part.Restarts);

        await spec.AdvanceAndCheckAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(1, part.Restarts);
        var restart = Assert.Single(spec.State.Report().Recent);
        Assert.Equal((RecoveryAction.RestartEndpoints, "receive-endpoints", "not ready: product-sync Degraded", "product-sync: restarted"),
            (restart.Action, restart.Part, restart.Problem, restart.Outcome));
        Assert.Equal(HealthStatus.Healthy, await spec.LiveAsync());

        // The restart did not help: after another grace the process is to be restarted from outside.
        await spec.AdvanceAndCheckAsync(Grace - TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Healthy, await spec.LiveAsync());
        await spec.AdvanceAndCheckAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Unhealthy, await spec.LiveAsync());
        Assert.Contains("product-sync Degraded", spec.State.RestartNeeded);
        Assert.Equal(1, part.Restarts);
        Assert.Equal(2, spec.State.Report().Recoveries);
        Assert.Equal(2, spec.Counted);

        // While nobody restarts the process, it goes on restarting the part in process once a grace; once the part
        // heals, the supervisor stands down.
        await spec.AdvanceAndCheckAsync(Grace - TimeSpan.FromSeconds(1));
        Assert.Equal(1, part.Restarts);
        await spec.AdvanceAndCheckAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, part.Restarts);
        Assert.Equal(3, spec.State.Report().Recoveries);
        Assert.Equal(HealthStatus.Unhealthy, await spec.LiveAsync());
        part.Wedged = null;
        await spec.AdvanceAndCheckAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HealthStatus.Healthy, await spec.LiveAsync());
        Assert.True(spec.State.Report().Live);
    }

    [Fact]
    public async Task Should_give_a_part_that_healed_by_itself_a_whole_grace_again()
    {
        var part = new WedgeablePart("outbox", Grace) { Wedged = "no outbox pass ended well" };
        using var spec = await SupervisorSpecContext.CheckedOnceAsync(part);

        await spec.AdvanceAndCheckAsync(Grace - TimeSpan.FromSeconds(10));
        part.Wedged = null;
        await spec.AdvanceAndCheckAsync(TimeSpan.FromSeconds(5));
        part.Wedged = "no outbox pass ended well";
        await spec.AdvanceAndCheckAsync(TimeSpan.FromSeconds(5));
        await spec.AdvanceAndCheckAsync(Grace - TimeSpan.FromSeconds(1));

        Assert.Equal(0, part.Restarts);
    }
}

public sealed class When_a_part_makes_no_progress_because_the_broker_cannot_be_reached
{
    [Fact]
    public async Task Should_wait_however_long_and_count_the_grace_from_when_the_broker_is_back()
    {
        var grace = TimeSpan.FromMinutes(2);
        var part = new WedgeablePart("outbox", grace) { Wedged = "no outbox pass ended well" };
        using var spec = new SupervisorSpecContext(part);
        spec.Broker.Reachable = false;

        await spec.AdvanceAndCheckAsync(TimeSpan.Zero);
        for (var minute = 0; minute < 30; minute++)
        {
            await spec.AdvanceAndCheckAsync(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(0, part.Restarts);
        Assert.Equal(HealthStatus.Healthy, await spec.LiveAsync());

        spec.Broker.Reachable = true;
        await spec.AdvanceAndCheckAsync(grace - TimeSpan.FromSeconds(1));
        Assert.Equal(0, part.Restarts);
        await spec.AdvanceAndCheckAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(1, part.Restarts);
    }
}

public sealed class When_the_outbox_is_looked_at
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private static readonly SyncOptions Sync = new();

    private static (OutboxPart Part, OutboxProgress Progress, FakeTimeProvider Clock) Outbox()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T08:00:00Z"));
        var progress = new OutboxProgress(clock);
        return (new OutboxPart(progress, null!, Options.Create(new SupervisionOptions { OutboxGrace = Grace }), Options.Create(Sync)), progress, clock);
    }

    [Fact]
    public void Should_see_no_problem_while_passes_end_well()
    {
        var (part, progress, clock) = Outbox();
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            progress.PassSucceeded();
            Assert.Null(part.Problem(clock.GetUtcNow()));
        }
    }

    [Fact]
    public void Should_name_the_failure_of_passes_that_keep_failing_against_the_broker()
    {
        var (part, progress, clock) = Outbox();
        clock.Advance(Grace);
        progress.PassFailed("the broker did not take the message within 00:00:30", database: false);

        Assert.Contains("the broker did not take the message", part.Problem(clock.GetUtcNow()));
    }

    [Fact]
    public void Should_report_passes_failing_against_the_broker_from_the_first_so_that_the_grace_counts_from_there()
    {
        var (part, progress, clock) = Outbox();
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.PassFailed("BasicPublishAsync failed: Message rejected by broker.", database: false);
        var first = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(30));
        progress.PassFailed("the broker did not take the message within 00:00:30", database: false);

        var problem = part.Problem(clock.GetUtcNow());
        Assert.Contains($"failing since {first:u}", problem);
        Assert.Contains("did not take the message", problem);

        progress.PassSucceeded();
        Assert.Null(part.Problem(clock.GetUtcNow()));
    }

    [Fact]
    public void Should_see_a_pass_that_never_ends_or_a_bus_that_never_connects()
    {
        var (part, _, clock) = Outbox();
        var silence = Sync.PublishTimeout + Sync.PollInterval + Sync.Linger;
        clock.Advance(silence - TimeSpan.FromSeconds(1));
        Assert.Null(part.Problem(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Contains("never ends", part.Problem(clock.GetUtcNow()));
    }

    [Fact]
    public void Should_wait_out_an_outage_of_the_branch_database()
    {
        var (part, progress, clock) = Outbox();
        clock.Advance(Grace * 3);
        progress.PassFailed("Failed to connect to 127.0.0.1:5432", database: true);

        Assert.Null(part.Problem(clock.GetUtcNow()));
    }
}

public sealed class When_the_receive_endpoints_are_looked_at
{
    [Fact]
    public void Should_name_each_endpoint_that_is_not_ready_and_nothing_when_all_are()
    {
        var endpoints = new Dictionary<string, EndpointHealthResult>
        {
            ["it-b1-product-sync"] = EndpointHealthResult.Degraded(FakeEndpoint.At("it-b1-product-sync"), "not ready"),
            ["it-b1-scheduler"] = EndpointHealthResult.Healthy(FakeEndpoint.At("it-b1-scheduler"), "ready"),
        };
        var bus = new FakeBus { Health = BusHealthResult.Degraded("not all ready", null!, endpoints) };
        var part = new ReceiveEndpointsPart(bus.Control, null!, Options.Create(new SupervisionOptions()));

        var problem = part.Problem(DateTimeOffset.UtcNow);
        Assert.Contains("it-b1-product-sync Degraded (not ready)", problem);
        Assert.DoesNotContain("scheduler", problem);

        endpoints["it-b1-product-sync"] = EndpointHealthResult.Healthy(FakeEndpoint.At("it-b1-product-sync"), "ready");
        bus.Health = BusHealthResult.Healthy("ready", endpoints);
        Assert.Null(part.Problem(DateTimeOffset.UtcNow));
    }

    /// <summary>A bus that only reports its health: every other member of <see cref="IBusControl"/> throws.</summary>
    private sealed class FakeBus
    {
        public BusHealthResult Health { get; set; } = null!;

        public IBusControl Control => Proxy<IBusControl>(method => method.Name == nameof(IBusControl.CheckHealth) ? Health : null);
    }

    /// <summary>A receive endpoint that only has an address.</summary>
    private static class FakeEndpoint
    {
        public static IReceiveEndpoint At(string queue) =>
            Proxy<IReceiveEndpoint>(method => method.Name == "get_InputAddress" ? new Uri($"rabbitmq://localhost/{queue}") : null);
    }

    private static T Proxy<T>(Func<MethodInfo, object?> answer) where T : class
    {
        var proxy = DispatchProxy.Create<T, AnsweringProxy>();
        ((AnsweringProxy)(object)proxy).Answer = answer;
        return proxy;
    }

    public class AnsweringProxy : DispatchProxy
    {
        public Func<MethodInfo, object?> Answer { get; set; } = _ => null;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            Answer(targetMethod!) ?? throw new NotSupportedException($"{targetMethod!.Name} is not part of the fake");
    }
}
