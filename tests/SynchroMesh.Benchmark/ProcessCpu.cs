using System.Globalization;

namespace SynchroMesh.Benchmark;

/// <summary>
/// CPU time used so far (user and system, from /proc) by the processes of a service: what a capacity figure costs in
/// cores, per component, on this machine.
/// </summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    /// <summary>The CPU seconds of one process; 0 when it is gone.</summary>
    public static double SecondsOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The CPU seconds of every process whose command name is <paramref name="command"/>, run by a user <paramref name="user"/> accepts.</summary>
    public static double SecondsOf(string command, Func<string, bool> user)
    {
        var users = File.ReadLines("/etc/passwd").Select(line => line.Split(':'))
            .Where(f => f.Length > 2 && user(f[0])).Select(f => f[2]).ToHashSet();
        var total = 0.0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var status = File.ReadAllLines(Path.Combine(directory, "status"));
                var name = status.First(l => l.StartsWith("Name:", StringComparison.Ordinal))["Name:".Length..].Trim();
                var uid = status.First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                if (name == command && users.Contains(uid))
                {
                    total += SecondsOf(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // The process ended while it was read.
            }
        }

        return total;
    }

    /// <summary>The CPU seconds of PostgreSQL's processes and of the broker's nodes: the single one, or the cluster's three.</summary>
    public static (double Postgres, double RabbitMq) Servers(TestBroker broker) =>
        (SecondsOf("postgres", user => user == "postgres"),
         SecondsOf("beam.smp", user => broker.IsCluster ? user.StartsWith("rabbitmq-n", StringComparison.Ordinal) : user == "rabbitmq"));
}
