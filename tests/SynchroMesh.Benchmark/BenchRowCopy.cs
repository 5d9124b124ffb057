using NpgsqlTypes;

namespace SynchroMesh.Benchmark;

/// <summary>The sale's own columns in binary COPY, in the order both the floor table and the branch table list them.</summary>
public static class BenchRowCopy
{
    public const string SaleColumns = "date, product, region, qty, cost, tax, created_at, updated_at, deleted_at";

    public static async Task WriteSaleAsync(NpgsqlBinaryImporter writer, ProductSubmitted row)
    {
        await writer.WriteAsync(row.Date, NpgsqlDbType.Date);
        await writer.WriteAsync(row.Product, NpgsqlDbType.Varchar);
        await writer.WriteAsync(row.Region, NpgsqlDbType.Varchar);
        await writer.WriteAsync((long)row.Qty, NpgsqlDbType.Bigint);
        await writer.WriteAsync(row.Cost, NpgsqlDbType.Numeric);
        await writer.WriteAsync(row.Tax, NpgsqlDbType.Real);
        await writer.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz);
        await writer.WriteAsync(row.UpdatedAt, NpgsqlDbType.TimestampTz);
        if (row.DeletedAt is { } deletedAt)
        {
            await writer.WriteAsync(deletedAt, NpgsqlDbType.TimestampTz);
        }
        else
        {
            await writer.WriteNullAsync();
        }
    }
}
