namespace SynchroMesh.HeadOfficeIngest.Data;

/// <summary>What the sales report can be grouped by.</summary>
public enum SalesGrouping
{
    Region,
    Branch,
    Product,
    Day,
}

/// <summary>One group of the sales report. Amount is qty × cost; tax is the amount times the line's tax rate.</summary>
public sealed record SalesFigures(string Key, long Quantity, decimal Amount, decimal Tax, long Lines)
{
    public decimal Total => Amount + Tax;
}

/// <summary>The sales report's projection: kept from <see cref="ProductsStored"/> events, read grouped.</summary>
public sealed class SalesReportStore(HeadOfficeDbContext db)
{
    /// <summary>
    /// Brings the named rows into the projection as the head office holds them now, unless the projection already
    /// holds that version or a newer one: events may come twice and out of order, and the projection still ends at
    /// each row's newest version. One statement, reading the ingest's table, in key order (two batches sharing rows
    /// cannot deadlock).
    /// </summary>
    public Task<int> ApplyAsync(IReadOnlyCollection<(string BranchId, long ExternalId)> keys, CancellationToken cancellationToken)
    {
        var sorted = keys.Distinct().OrderBy(k => k.BranchId, StringComparer.Ordinal).ThenBy(k => k.ExternalId).ToList();
        var branchIds = sorted.Select(k => k.BranchId).ToArray();
        var externalIds = sorted.Select(k => k.ExternalId).ToArray();
        return db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO reports.sales_lines AS l (branch_id, external_id, version, date, product, region, qty, cost, tax, is_deleted)
            SELECT p.branch_id, p.external_id, p.version, p.date, p.product, p.region, p.qty, p.cost, p.tax, p.deleted_at IS NOT NULL
            FROM unnest({branchIds}, {externalIds}) WITH ORDINALITY AS k(branch_id, external_id, n)
            JOIN head_office.products AS p ON p.branch_id = k.branch_id AND p.external_id = k.external_id
            ORDER BY k.n
            ON CONFLICT (branch_id, external_id) DO UPDATE SET
                version = excluded.version, date = excluded.date, product = excluded.product, region = excluded.region,
                qty = excluded.qty, cost = excluded.cost, tax = excluded.tax, is_deleted = excluded.is_deleted
            WHERE l.version < excluded.version
            """, cancellationToken);
    }

    /// <summary>The live (not deleted) sales dated from <paramref name="from"/> to <paramref name="to"/>, both included, by group.</summary>
    public async Task<IReadOnlyList<SalesFigures>> ReadAsync(SalesGrouping grouping, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        // The key is one of four fixed expressions: nothing of the request reaches the SQL text.
        var key = grouping switch
        {
            SalesGrouping.Region => "region",
            SalesGrouping.Branch => "branch_id",
            SalesGrouping.Product => "product",
            SalesGrouping.Day => "to_char(date, 'YYYY-MM-DD')",
            _ => throw new ArgumentOutOfRangeException(nameof(grouping), grouping, null),
        };
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT {key} AS key, sum(qty)::bigint, sum(qty * cost), sum(round(qty * cost * tax::numeric, 4)), count(*)
                FROM reports.sales_lines
                WHERE NOT is_deleted AND date BETWEEN @from AND @to
                GROUP BY 1
                ORDER BY 1
                """;
            command.Parameters.Add(new Npgsql.NpgsqlParameter("from", from));
            command.Parameters.Add(new Npgsql.NpgsqlParameter("to", to));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<SalesFigures>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new SalesFigures(reader.GetString(0), reader.GetInt64(1), reader.GetDecimal(2), reader.GetDecimal(3), reader.GetInt64(4)));
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
