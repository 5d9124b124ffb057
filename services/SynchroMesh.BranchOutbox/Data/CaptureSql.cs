using Microsoft.EntityFrameworkCore.Metadata;

namespace SynchroMesh.BranchOutbox.Data;

/// <summary>
/// The SQL of capture from any writer: the triggers on <c>branch.products</c> that version every change of a sale,
/// whoever makes it, keep a tombstone of a hard-deleted row, and raise a re-inserted row above its tombstone. Each is
/// written once, here, for a list of the sale's data columns.
/// </summary>
/// <remarks>
/// The sale's data columns are the columns of <see cref="BranchProduct"/> other than its id and the sync's bookkeeping
/// (<see cref="SaleColumnsOf"/>): a change to any of them is a new version. A migration that adds or removes such a
/// column also runs <see cref="Triggers"/> with its own list of the columns as they then are, written out in the
/// migration so it keeps doing the same whatever the entity becomes later; a spec checks that the database's triggers
/// are the ones this class makes for the entity as it is now.
/// </remarks>
public static class CaptureSql
{
    /// <summary>Columns of <c>branch.products</c> that are not the sale's data: its key and the sync's bookkeeping.</summary>
    public static readonly IReadOnlySet<string> NotSaleData = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "version", "sent_version", "acked_version", "sent_at", "acked_at", "batch_id", "trace_parent",
    };

    /// <summary>The sequence every change of a sale takes its version from (the migration CaptureFromAnyWriter makes it).</summary>
    private const string VersionSequence = "branch.product_change_seq";

    /// <summary>
    /// Tells the branch's outbox that a row changed, unless the writer's session wakes the outbox itself
    /// (<see cref="SyncLedger.WakesOutboxSetting"/>). PostgreSQL serializes the commits of all transactions that
    /// notified, whatever their database, under one lock held through the commit's flush: with the branch API's writes
    /// notifying too, concurrent sales queued behind each other's commits (measured with pgbench, 32 clients inserting
    /// one row a transaction: 11,900 commits/s without the notification, 2,270 with it).
    /// </summary>
    private static readonly string WakeTheOutbox =
        $"PERFORM pg_notify('{SyncLedger.ChangeChannel}', '') WHERE current_setting('{SyncLedger.WakesOutboxSetting}', true) IS DISTINCT FROM 'on';";

    /// <summary>The functions <see cref="Triggers"/> defines, by name in the <c>branch</c> schema.</summary>
    public static readonly IReadOnlyList<string> Functions = ["version_product_change", "keep_deleted_product", "outrank_tombstone"];

    /// <summary>The sale's data columns of the products table, in the order the entity declares them, base class first.</summary>
    public static IReadOnlyList<string> SaleColumnsOf(IModel model)
    {
        var entity = model.FindEntityType(typeof(BranchProduct)) ?? throw new InvalidOperationException("BranchProduct is not in the model");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return [.. entity.GetProperties()
            .OrderBy(p => Depth(p.PropertyInfo?.DeclaringType))
            .ThenBy(p => p.PropertyInfo?.MetadataToken ?? int.MaxValue)
            .Select(p => p.GetColumnName(table)!)
            .Where(c => !NotSaleData.Contains(c))];
    }

    /// <summary>
    /// Creates or replaces the three trigger functions and the update trigger's condition for these data columns.
    /// Re-runnable: every statement replaces what it defines.
    /// </summary>
    public static string Triggers(IReadOnlyList<string> saleColumns)
    {
        if (saleColumns.Count == 0 || saleColumns.Any(c => NotSaleData.Contains(c)) || !saleColumns.Contains("updated_at") || !saleColumns.Contains("deleted_at"))
        {
            throw new ArgumentException("the sale's data columns hold updated_at and deleted_at, and none of the key or the bookkeeping", nameof(saleColumns));
        }

        var keyAndData = (IReadOnlyList<string>)["id", .. saleColumns];
        return $"""
            CREATE OR REPLACE FUNCTION branch.version_product_change() RETURNS trigger LANGUAGE plpgsql
                SECURITY DEFINER SET search_path = pg_catalog, branch, pg_temp AS $fn${Body("version_product_change", saleColumns)}$fn$;

            CREATE OR REPLACE FUNCTION branch.keep_deleted_product() RETURNS trigger LANGUAGE plpgsql
                SECURITY DEFINER SET search_path = pg_catalog, branch, pg_temp AS $fn${Body("keep_deleted_product", saleColumns)}$fn$;

            CREATE OR REPLACE FUNCTION branch.outrank_tombstone() RETURNS trigger LANGUAGE plpgsql
                SECURITY DEFINER SET search_path = pg_catalog, branch, pg_temp AS $fn${Body("outrank_tombstone", saleColumns)}$fn$;

            -- Only a change to the key, the data or the version runs the versioning trigger: the sync's own bookkeeping
            -- (sent, acked) passes untouched.
            DROP TRIGGER IF EXISTS version_product_update ON branch.products;
            CREATE TRIGGER version_product_update BEFORE UPDATE ON branch.products
                FOR EACH ROW
                WHEN ({Row("NEW", [.. keyAndData, "version"])} IS DISTINCT FROM {Row("OLD", [.. keyAndData, "version"])})
                EXECUTE FUNCTION branch.version_product_change();
            """;
    }

    /// <summary>The body (between the dollar quotes) of one of <see cref="Functions"/> for these data columns.</summary>
    public static string Body(string function, IReadOnlyList<string> saleColumns) => function switch
    {
        // A new row, or a change to a row's data, takes the next version and wakes the outbox (unless the writer's
        // session wakes it itself). The sync's bookkeeping
        // changes no data and keeps the version, and so does a writer that sets a version of its own.
        "version_product_change" => $"""

            BEGIN
                IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
                    RAISE EXCEPTION 'the id of a row in branch.products never changes (the head office knows the row by it); delete the row and insert a new one'
                        USING ERRCODE = 'feature_not_supported';
                END IF;
                IF TG_OP = 'INSERT' THEN
                    NEW.sent_version := 0;
                    NEW.acked_version := 0;
                    NEW.sent_at := NULL;
                    NEW.acked_at := NULL;
                    NEW.batch_id := NULL;
                ELSIF {Row("NEW", saleColumns)} IS NOT DISTINCT FROM {Row("OLD", saleColumns)} THEN
                    -- Our own trigger raising a re-inserted row above its tombstone (branch.outrank_tombstone) keeps
                    -- its new version; any other update that changes no data keeps the old one.
                    IF NEW.version > OLD.version AND pg_trigger_depth() > 1 THEN
                        RETURN NEW;
                    END IF;
                    NEW.version := OLD.version;
                    RETURN NEW;
                ELSIF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
                    NEW.updated_at := now();
                END IF;
                -- A change that brings no trace context of its own (a till's SQL) is not part of the last API
                -- request's trace: the row forgets that context, and its batch starts a trace of its own.
                IF TG_OP = 'UPDATE' AND NEW.trace_parent IS NOT DISTINCT FROM OLD.trace_parent THEN
                    NEW.trace_parent := NULL;
                END IF;
                NEW.version := nextval('{VersionSequence}');
                {WakeTheOutbox}
                RETURN NEW;
            END

            """,
        // A hard delete leaves a tombstone: the row as it was, deleted now, at a new version, sent like any change.
        "keep_deleted_product" => $"""

            BEGIN
                INSERT INTO branch.deleted_products AS d
                    ({List("", ["id", .. saleColumns])},
                     version, sent_version, acked_version, sent_at, acked_at, batch_id)
                VALUES
                    ({List("", ["id", .. saleColumns], TombstoneValue)},
                     nextval('{VersionSequence}'), OLD.acked_version, OLD.acked_version, NULL, OLD.acked_at, NULL)
                ON CONFLICT (id) DO UPDATE SET
                    {string.Join(", ", saleColumns.Select(c => $"{c} = EXCLUDED.{c}"))},
                    version = EXCLUDED.version,
                    sent_version = greatest(d.acked_version, EXCLUDED.acked_version),
                    acked_version = greatest(d.acked_version, EXCLUDED.acked_version),
                    sent_at = NULL, batch_id = NULL;
                {WakeTheOutbox}
                RETURN OLD;
            END

            """,
        // A row inserted with the id of a hard-deleted one outranks its tombstone, at every isolation level. Under
        // REPEATABLE READ or SERIALIZABLE the trigger's snapshot is the transaction's, blind to a tombstone committed
        // after it began; an insert that collides with that tombstone is not: PostgreSQL refuses an ON CONFLICT on a
        // row the snapshot cannot see with a serialization failure, which a till at those levels retries, and the
        // retry sees the tombstone. The probe's row never stays (its subtransaction is rolled back).
        "outrank_tombstone" => $"""

            BEGIN
                IF current_setting('transaction_isolation') <> 'read committed' THEN
                    BEGIN
                        INSERT INTO branch.deleted_products
                            ({List("", ["id", .. saleColumns])},
                             version, sent_version, acked_version)
                        VALUES
                            ({List("", ["id", .. saleColumns], c => c == "deleted_at" ? "now()" : "NEW." + c)},
                             0, 0, 0)
                        ON CONFLICT (id) DO NOTHING;
                        RAISE EXCEPTION 'probe rolled back' USING ERRCODE = 'SMTP1';
                    EXCEPTION WHEN SQLSTATE 'SMTP1' THEN
                        NULL;
                    END;
                END IF;
                IF EXISTS (SELECT 1 FROM branch.deleted_products WHERE id = NEW.id AND version > NEW.version) THEN
                    UPDATE branch.products SET version = nextval('{VersionSequence}') WHERE id = NEW.id;
                    {WakeTheOutbox}
                END IF;
                RETURN NULL;
            END

            """,
        _ => throw new ArgumentException($"no capture function '{function}'", nameof(function)),
    };

    private static int Depth(Type? type)
    {
        var depth = 0;
        for (; type?.BaseType is { } baseType; type = baseType)
        {
            depth++;
        }

        return type is null ? int.MaxValue : depth;
    }

    /// <summary>A tombstone's value of a column: the deleted row's, except that it was updated, and deleted, now.</summary>
    private static string TombstoneValue(string column) => column switch
    {
        "updated_at" => "now()",
        "deleted_at" => "coalesce(OLD.deleted_at, now())",
        _ => "OLD." + column,
    };

    private static string Row(string record, IReadOnlyList<string> columns) => $"({List(record + ".", columns)})";

    private static string List(string prefix, IReadOnlyList<string> columns, Func<string, string>? value = null) =>
        string.Join(", ", columns.Select(c => value is null ? prefix + c : value(c)));
}
