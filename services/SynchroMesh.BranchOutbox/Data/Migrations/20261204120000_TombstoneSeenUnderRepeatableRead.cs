using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.BranchOutbox.Data.Migrations
{
    /// <summary>
    /// A row inserted with the id of a hard-deleted one outranks its tombstone at every isolation level. The AFTER INSERT
    /// trigger looks for the tombstone with the statement's snapshot, which under REPEATABLE READ or SERIALIZABLE is the
    /// transaction's: a tombstone committed after the till's transaction began (the insert waited for that DELETE) is
    /// invisible to it. An insert that collides with that tombstone is not blind to it: PostgreSQL refuses an
    /// <c>ON CONFLICT</c> on a row the snapshot cannot see with a serialization failure, which a till running at those
    /// levels retries anyway; the retry sees the tombstone and takes a newer version. The probe's own row never stays
    /// (its subtransaction is rolled back), and READ COMMITTED, where each statement sees what committed before it, skips
    /// the probe. No model change: no designer file.
    /// </summary>
    [DbContext(typeof(BranchDbContext))]
    [Migration("20261204120000_TombstoneSeenUnderRepeatableRead")]
    public partial class TombstoneSeenUnderRepeatableRead : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION branch.outrank_tombstone() RETURNS trigger LANGUAGE plpgsql
                    SECURITY DEFINER SET search_path = pg_catalog, branch, pg_temp AS $fn$
                BEGIN
                    IF current_setting('transaction_isolation') <> 'read committed' THEN
                        BEGIN
                            INSERT INTO branch.deleted_products
                                (id, date, product, region, qty, cost, tax, created_at, updated_at, deleted_at,
                                 version, sent_version, acked_version)
                            VALUES
                                (NEW.id, NEW.date, NEW.product, NEW.region, NEW.qty, NEW.cost, NEW.tax, NEW.created_at,
                                 NEW.updated_at, now(), 0, 0, 0)
                            ON CONFLICT (id) DO NOTHING;
                            RAISE EXCEPTION 'probe rolled back' USING ERRCODE = 'SMTP1';
                        EXCEPTION WHEN SQLSTATE 'SMTP1' THEN
                            NULL;
                        END;
                    END IF;
                    IF EXISTS (SELECT 1 FROM branch.deleted_products WHERE id = NEW.id AND version > NEW.version) THEN
                        UPDATE branch.products SET version = nextval('branch.product_change_seq') WHERE id = NEW.id;
                        PERFORM pg_notify('synchromesh_product_changes', '');
                    END IF;
                    RETURN NULL;
                END
                $fn$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION branch.outrank_tombstone() RETURNS trigger LANGUAGE plpgsql
                    SECURITY DEFINER SET search_path = pg_catalog, branch, pg_temp AS $fn$
                BEGIN
                    IF EXISTS (SELECT 1 FROM branch.deleted_products WHERE id = NEW.id AND version > NEW.version) THEN
                        UPDATE branch.products SET version = nextval('branch.product_change_seq') WHERE id = NEW.id;
                        PERFORM pg_notify('synchromesh_product_changes', '');
                    END IF;
                    RETURN NULL;
                END
                $fn$;
                """);
        }
    }
}
