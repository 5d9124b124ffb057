using System.Net;

namespace SynchroMesh.FaultLab;

/// <summary>
/// Records a mix of creates, updates and soft deletes at a branch through its API, the way its tills would, and with
/// <paramref name="hardDeletes"/> some hard deletes in SQL, as a till's own software might. Seeded, so that a failing
/// run can be replayed.
/// </summary>
public sealed class SalesWorkload(IBranchSales branch, int seed, bool hardDeletes = false)
{
    private readonly Random _random = new(seed);
    private readonly List<long> _live = [];

    public int Writes { get; private set; }

    /// <summary>Changes that could not be made because the branch service or its database was down (killed or restarting).</summary>
    public int Refused { get; private set; }

    /// <summary>One change: a create while there are few rows, otherwise mostly creates, some updates and deletes.</summary>
    public async Task WriteOneAsync()
    {
        var roll = _random.Next(100);
        if (_live.Count < 5 || roll < 60)
        {
            var created = await branch.Api.CreateAsync(Sale());
            _live.Add(created.Id);
        }
        else if (roll < 90)
        {
            await branch.Api.UpdateAsync(_live[_random.Next(_live.Count)], Sale());
        }
        else
        {
            var index = _random.Next(_live.Count);
            if (hardDeletes && roll >= 95)
            {
                await using var connection = await branch.ConnectAsync();
                await using var delete = new NpgsqlCommand("DELETE FROM branch.products WHERE id = @id", connection);
                delete.Parameters.AddWithValue("id", _live[index]);
                await delete.ExecuteNonQueryAsync();
            }
            else
            {
                await branch.Api.DeleteAsync(_live[index]);
            }

            _live.RemoveAt(index);
        }

        Writes++;
    }

    public async Task WriteAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await WriteOneAsync();
        }
    }

    /// <summary>
    /// Writes until <paramref name="until"/> is cancelled, at most one change per <paramref name="every"/>. A branch
    /// that is down refuses the change, as its tills would be down with it; what it committed is checked later.
    /// </summary>
    public async Task WriteUntilAsync(CancellationToken until, TimeSpan every)
    {
        using var pace = new PeriodicTimer(every);
        while (!until.IsCancellationRequested)
        {
            try
            {
                await WriteOneAsync();
            }
            catch (HttpRequestException ex) when (IsConnectionFailure(ex))
            {
                Refused++;
            }
            catch (Exception ex) when (ex is NpgsqlException || ex is HttpRequestException { StatusCode: HttpStatusCode.ServiceUnavailable })
            {
                // The branch's database is down (killed or restarting): the tills cannot record either.
                Refused++;
            }

            try
            {
                await pace.WaitForNextTickAsync(until);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private SaleInput Sale() => new(
        new DateOnly(2026, 1, 1).AddDays(_random.Next(330)),
        $"product-{_random.Next(50)}",
        $"region-{_random.Next(5)}",
        (uint)_random.Next(1, 20),
        Math.Round((decimal)_random.NextDouble() * 100, 2),
        (float)Math.Round(_random.NextDouble() * 0.25, 2));

    // Refused or reset: the process is being killed or not listening yet. A wrong answer is not one of these.
    private static bool IsConnectionFailure(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded
        || ex.InnerException is IOException;
}
