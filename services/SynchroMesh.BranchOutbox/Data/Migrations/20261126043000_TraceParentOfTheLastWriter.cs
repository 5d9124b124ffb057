using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynchroMesh.BranchOutbox.Data.Migrations
{
    /// <summary>
    /// A data change that sets no trace context (another program's SQL) clears the one the row kept from an earlier
    /// API request, so that its batch is not drawn into that request's trace. No model change: no designer file.
    /// </summary>
    [DbContext(typeof(BranchDbContext))]
    [Migration("20261126043000_TraceParentOfTheLastWriter")]
    public partial class TraceParentOfTheLastWriter : Migration
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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
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
                """);
        }
    }
}
