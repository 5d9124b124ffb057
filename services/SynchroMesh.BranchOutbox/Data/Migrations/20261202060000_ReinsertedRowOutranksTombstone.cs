using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.BranchOutbox.Data.Migrations
{
    /// <summary>
    /// A row inserted with the id of a hard-deleted one always outranks its tombstone. The insert waits for the delete
    /// to commit (the primary key), but it takes its version in its BEFORE trigger, which can run while a DELETE of
    /// several rows is still going and before that DELETE's AFTER trigger numbers the tombstone: the tombstone then had
    /// the higher version, and the head office kept the row deleted. An AFTER INSERT trigger, which runs once the
    /// delete has committed and sees its tombstone, gives such a row a new version. No model change: no designer file.
    /// </summary>
    /// <remarks>
    /// The AFTER trigger reads the tombstone with a snapshot of its own, which READ COMMITTED (PostgreSQL's default)
    /// gives each statement of a trigger function; a till inserting in REPEATABLE READ or SERIALIZABLE would not see a
    /// tombstone committed after its transaction began.
    /// </remarks>
    [DbContext(typeof(BranchDbContext))]
    [Migration("20261202060000_ReinsertedRowOutranksTombstone")]
    public partial class ReinsertedRowOutranksTombstone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION branch.version_product_change() RETURNS trigger LANGUAGE plpgsql
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
                    NEW.version := nextval('branch.product_change_seq');
                    PERFORM pg_notify('synchromesh_product_changes', '');
                    RETURN NEW;
                END
                $fn$;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION branch.outrank_tombstone() RETURNS trigger LANGUAGE plpgsql
                    SECURITY DEFINER SET search_path = pg_catalog, branch, pg_temp AS $fn$
                BEGIN
                    IF EXISTS (SELECT 1 FROM branch.deleted_products WHERE id = NEW.id AND version > NEW.version) THEN
                        UPDATE branch.products SET version = nextval('branch.product_change_seq') WHERE id = NEW.id;
                        PERFORM pg_notify('synchromesh_product_changes', '');
                    END IF;
                    RETURN NULL;
                END
                $fn$;

                CREATE TRIGGER outrank_tombstone AFTER INSERT ON branch.products
                    FOR EACH ROW EXECUTE FUNCTION branch.outrank_tombstone();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER outrank_tombstone ON branch.products;
                DROP FUNCTION branch.outrank_tombstone();
                """);
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION branch.version_product_change() RETURNS trigger LANGUAGE plpgsql
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
                    -- A change that brings no trace context of its own (a till's SQL) is not part of the last API
                    -- request's trace: the row forgets that context, and its batch starts a trace of its own.
                    IF TG_OP = 'UPDATE' AND NEW.trace_parent IS NOT DISTINCT FROM OLD.trace_parent THEN
                        NEW.trace_parent := NULL;
                    END IF;
                    NEW.version := nextval('branch.product_change_seq');
                    PERFORM pg_notify('synchromesh_product_changes', '');
                    RETURN NEW;
                END
                $fn$;
                """);
        }
    }
}
