using Npgsql;

namespace SynchroMesh.Demo;

/// <summary>
/// A till's own software at a branch: writes the products table with plain SQL (no API), now and then deleting a
/// row for good, so that the demo shows capture from any writer.
/// </summary>
public sealed class TillWriter(BranchOffice branch, int seed)
{
    private readonly Random _random = new(seed);
    private readonly List<long> _mine = [];

    public int Writes { get; private set; }

    public async Task WriteUntilAsync(CancellationToken until, TimeSpan every)
    {
        using var pace = new PeriodicTimer(every);
        await using var connection = await branch.ConnectAsync();
        while (!until.IsCancellationRequested)
        {
            await WriteOneAsync(connection);
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

    private async Task WriteOneAsync(NpgsqlConnection connection)
    {
        if (_mine.Count > 3 && _random.Next(5) == 0)
        {
            var index = _random.Next(_mine.Count);
            await using var delete = new NpgsqlCommand("DELETE FROM branch.products WHERE id = @id", connection);
            delete.Parameters.AddWithValue("id", _mine[index]);
            await delete.ExecuteNonQueryAsync();
            _mine.RemoveAt(index);
        }
        else
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO branch.products (date, product, region, qty, cost, tax)
                VALUES (@date, @product, @region, @qty, @cost, 0.2) RETURNING id
                """, connection);
            insert.Parameters.AddWithValue("date", new DateOnly(2026, 11, 1).AddDays(_random.Next(25)));
            insert.Parameters.AddWithValue("product", $"till-item-{_random.Next(10)}");
            insert.Parameters.AddWithValue("region", $"region-{_random.Next(5)}");
            insert.Parameters.AddWithValue("qty", (long)_random.Next(1, 6));
            insert.Parameters.AddWithValue("cost", Math.Round((decimal)_random.NextDouble() * 20, 2));
            _mine.Add((long)(await insert.ExecuteScalarAsync())!);
        }

        Writes++;
    }
}
