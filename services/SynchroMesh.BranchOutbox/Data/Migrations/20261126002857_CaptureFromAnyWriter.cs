using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.BranchOutbox.Data.Migrations
{
    /// <inheritdoc />
    public partial class CaptureFromAnyWriter : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "version",
                schema: "branch",
                table: "products",
                type: "bigint",
                rowVersion: true,
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "updated_at",
                schema: "branch",
                table: "products",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()",
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone");

            migrationBuilder.AlterColumn<long>(
                name: "sent_version",
                schema: "branch",
                table: "products",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "created_at",
                schema: "branch",
                table: "products",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()",
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone");

            migrationBuilder.AlterColumn<long>(
                name: "acked_version",
                schema: "branch",
                table: "products",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddCheckConstraint(
                name: "ck_products_cost",
                schema: "branch",
                table: "products",
                sql: "cost BETWEEN 0 AND 999999999999999");

            migrationBuilder.AddCheckConstraint(
                name: "ck_products_date",
                schema: "branch",
                table: "products",
                sql: "date BETWEEN '2000-01-01' AND '2100-12-31'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_products_product",
                schema: "branch",
                table: "products",
                sql: "btrim(product) <> ''");

            migrationBuilder.AddCheckConstraint(
                name: "ck_products_qty",
                schema: "branch",
                table: "products",
                sql: "qty BETWEEN 0 AND 4294967295");

            migrationBuilder.AddCheckConstraint(
                name: "ck_products_region",
                schema: "branch",
                table: "products",
                sql: "btrim(region) <> ''");

            migrationBuilder.AddCheckConstraint(
                name: "ck_products_tax",
                schema: "branch",
                table: "products",
                sql: "tax >= 0 AND tax < 'Infinity'::real");

            // Capture from any writer: versions from a sequence, tombstones for hard deletes, a notification on
            // every change (see SyncRows and ProductChangeListener).
            migrationBuilder.Sql("""
                -- Every change gets its version from one sequence, whoever writes it: the API, a till's software, psql.
                CREATE SEQUENCE branch.product_change_seq AS bigint;
                SELECT setval('branch.product_change_seq', (SELECT coalesce(max(version), 0) + 1 FROM branch.products), false);

                -- What the sync reads and writes: the live rows and the tombstones of hard-deleted ones, as one table. A column is
                -- added here (ALTER TABLE branch.sync_rows ADD COLUMN), which gives it to both.
                CREATE TABLE branch.sync_rows (LIKE branch.products INCLUDING DEFAULTS);
                ALTER TABLE branch.products INHERIT branch.sync_rows;
                CREATE TABLE branch.deleted_products (CONSTRAINT pk_deleted_products PRIMARY KEY (id)) INHERITS (branch.sync_rows);
                CREATE INDEX ix_deleted_products_waiting_to_send ON branch.deleted_products (id) WHERE sent_version < version;
                CREATE INDEX ix_deleted_products_waiting_for_ack ON branch.deleted_products (sent_at) WHERE acked_version < version;
                CREATE INDEX ix_deleted_products_unacked_by_batch ON branch.deleted_products (batch_id) WHERE acked_version < version;

                -- The triggers run with the owner's rights (SECURITY DEFINER, a fixed search_path): a till's role needs
                -- only SELECT, INSERT, UPDATE, DELETE on branch.products, not the sequence or the tombstones.

                -- A new row, or a change to a row's data, takes the next version and wakes the outbox. The sync's own bookkeeping
                -- (sent, acked) changes no data and keeps the version, and so does a writer that sets a version of its own.
                CREATE FUNCTION branch.version_product_change() RETURNS trigger LANGUAGE plpgsql
                    SECURITY DEFINER SET search_path = pg_catalog, branch, pg_temp AS $fn$
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
                    ELSIF (NEW.date, NEW.product, NEW.region, NEW.qty, NEW.cost, NEW.tax, NEW.created_at, NEW.updated_at, NEW.deleted_at)
                          IS NOT DISTINCT FROM
                          (OLD.date, OLD.product, OLD.region, OLD.qty, OLD.cost, OLD.tax, OLD.created_at, OLD.updated_at, OLD.deleted_at) THEN
                        NEW.version := OLD.version;
                        RETURN NEW;
                    ELSIF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
                        NEW.updated_at := now();
                    END IF;
                    NEW.version := nextval('branch.product_change_seq');
                    PERFORM pg_notify('synchromesh_product_changes', '');
                    RETURN NEW;
                END
                $fn$;

                CREATE TRIGGER version_product_insert BEFORE INSERT ON branch.products
                    FOR EACH ROW EXECUTE FUNCTION branch.version_product_change();
                CREATE TRIGGER version_product_update BEFORE UPDATE ON branch.products
                    FOR EACH ROW
                    WHEN ((NEW.id, NEW.date, NEW.product, NEW.region, NEW.qty, NEW.cost, NEW.tax, NEW.created_at, NEW.updated_at, NEW.deleted_at, NEW.version)
                          IS DISTINCT FROM
                          (OLD.id, OLD.date, OLD.product, OLD.region, OLD.qty, OLD.cost, OLD.tax, OLD.created_at, OLD.updated_at, OLD.deleted_at, OLD.version))
                    EXECUTE FUNCTION branch.version_product_change();

                -- A hard delete leaves a tombstone: the row as it was, deleted now, at a new version, to be sent like any change.
                CREATE FUNCTION branch.keep_deleted_product() RETURNS trigger LANGUAGE plpgsql
                    SECURITY DEFINER SET search_path = pg_catalog, branch, pg_temp AS $fn$
                BEGIN
                    INSERT INTO branch.deleted_products AS d
                        (id, date, product, region, qty, cost, tax, created_at, updated_at, deleted_at,
                         version, sent_version, acked_version, sent_at, acked_at, batch_id)
                    VALUES
                        (OLD.id, OLD.date, OLD.product, OLD.region, OLD.qty, OLD.cost, OLD.tax, OLD.created_at, now(), coalesce(OLD.deleted_at, now()),
                         nextval('branch.product_change_seq'), OLD.acked_version, OLD.acked_version, NULL, OLD.acked_at, NULL)
                    ON CONFLICT (id) DO UPDATE SET
                        date = EXCLUDED.date, product = EXCLUDED.product, region = EXCLUDED.region, qty = EXCLUDED.qty,
                        cost = EXCLUDED.cost, tax = EXCLUDED.tax, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                        deleted_at = EXCLUDED.deleted_at, version = EXCLUDED.version,
                        sent_version = greatest(d.acked_version, EXCLUDED.acked_version),
                        acked_version = greatest(d.acked_version, EXCLUDED.acked_version),
                        sent_at = NULL, batch_id = NULL;
                    PERFORM pg_notify('synchromesh_product_changes', '');
                    RETURN OLD;
                END
                $fn$;

                CREATE TRIGGER keep_deleted_product AFTER DELETE ON branch.products
                    FOR EACH ROW EXECUTE FUNCTION branch.keep_deleted_product();

                -- TRUNCATE fires no row trigger: the deletions would never reach the head office.
                CREATE FUNCTION branch.refuse_truncate() RETURNS trigger LANGUAGE plpgsql
                    SECURITY DEFINER SET search_path = pg_catalog, branch, pg_temp AS $fn$
                BEGIN
                    RAISE EXCEPTION 'TRUNCATE of branch.products would hide its deletions from the head office; DELETE the rows instead'
                        USING ERRCODE = 'feature_not_supported';
                END
                $fn$;

                CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON branch.products
                    FOR EACH STATEMENT EXECUTE FUNCTION branch.refuse_truncate();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER refuse_truncate ON branch.products;
                DROP FUNCTION branch.refuse_truncate();
                DROP TRIGGER keep_deleted_product ON branch.products;
                DROP FUNCTION branch.keep_deleted_product();
                DROP TRIGGER version_product_update ON branch.products;
                DROP TRIGGER version_product_insert ON branch.products;
                DROP FUNCTION branch.version_product_change();
                DROP TABLE branch.deleted_products;
                ALTER TABLE branch.products NO INHERIT branch.sync_rows;
                DROP TABLE branch.sync_rows;
                DROP SEQUENCE branch.product_change_seq;
                """);

            migrationBuilder.DropCheckConstraint(
                name: "ck_products_cost",
                schema: "branch",
                table: "products");

            migrationBuilder.DropCheckConstraint(
                name: "ck_products_date",
                schema: "branch",
                table: "products");

            migrationBuilder.DropCheckConstraint(
                name: "ck_products_product",
                schema: "branch",
                table: "products");

            migrationBuilder.DropCheckConstraint(
                name: "ck_products_qty",
                schema: "branch",
                table: "products");

            migrationBuilder.DropCheckConstraint(
                name: "ck_products_region",
                schema: "branch",
                table: "products");

            migrationBuilder.DropCheckConstraint(
                name: "ck_products_tax",
                schema: "branch",
                table: "products");

            migrationBuilder.AlterColumn<long>(
                name: "version",
                schema: "branch",
                table: "products",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldRowVersion: true,
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "updated_at",
                schema: "branch",
                table: "products",
                type: "timestamp with time zone",
                nullable: false,
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone",
                oldDefaultValueSql: "now()");

            migrationBuilder.AlterColumn<long>(
                name: "sent_version",
                schema: "branch",
                table: "products",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "created_at",
                schema: "branch",
                table: "products",
                type: "timestamp with time zone",
                nullable: false,
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone",
                oldDefaultValueSql: "now()");

            migrationBuilder.AlterColumn<long>(
                name: "acked_version",
                schema: "branch",
                table: "products",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldDefaultValue: 0L);
        }
    }
}
