namespace SynchroMesh.Messaging.Postgres.Tests.Scheduling.Model;

/// <summary>Fails the first sends to the reminders queue, the way a broker that is down fails them.</summary>
public sealed class UnreachableDestinationFilter : IFilter<SendContext>
{
    int _failuresLeft;
    int _failures;

    public int Failures => Volatile.Read(ref _failures);

    public void FailNext(int sends) => Volatile.Write(ref _failuresLeft, sends);

    public Task Send(SendContext context, IPipe<SendContext> next)
    {
        if (context.DestinationAddress?.AbsolutePath.EndsWith("/" + SchedulerSpecHost.RemindersQueue, StringComparison.Ordinal) == true
            && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Interlocked.Increment(ref _failures);
            throw new InvalidOperationException("The broker is unreachable.");
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context)
    {
    }
}
