#!/usr/bin/env bash
# The main job on one machine: starts PostgreSQL and RabbitMQ (installing them when missing), the head office
# and two branches, records a few sales at each branch and shows them arriving at the head office.
# The services keep running until Ctrl-C; with --once the script stops them after the sales have arrived.
#
#   bash deploy/run-local.sh [--once]
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
ONCE=false
[[ "${1:-}" == "--once" ]] && ONCE=true

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PG_USER=${SYNCHROMESH_PG_USER:-synchromesh}
PG_PASSWORD=${SYNCHROMESH_PG_PASSWORD:-synchromesh}
export RabbitMq__Host=127.0.0.1 RabbitMq__Port=5672 RabbitMq__VirtualHost=/
export RabbitMq__Username=${SYNCHROMESH_RABBIT_USER:-synchromesh}
export RabbitMq__Password=${SYNCHROMESH_RABBIT_PASSWORD:-synchromesh}

HO_URL=http://127.0.0.1:5100
BRANCHES=(branch-north branch-south)
BRANCH_PORTS=(5101 5102)
LOGS="$ROOT/.local/logs"
PIDS=()

say() { printf '\n== %s\n' "$*"; }

stop_all() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

database() { echo "Host=127.0.0.1;Port=5432;Username=$PG_USER;Password=$PG_PASSWORD;Database=$1"; }

wait_ready() {
    local name=$1 url=$2 log=$3 pid=$4
    for _ in $(seq 1 120); do
        if curl -fsS "$url/health/ready" >/dev/null 2>&1; then echo "$name is ready at $url"; return 0; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    echo "$name did not become ready; its log ($log):" >&2
    tail -n 40 "$log" >&2
    exit 1
}

say "Servers"
bash deploy/servers.sh start

say "Build"
dotnet build SynchroMesh.sln -c Release -v quiet -nologo
mkdir -p "$LOGS"

# This run's credentials for the HTTP APIs: the services get the keys' SHA-256 and the password's hash only.
secret() { head -c 32 /dev/urandom | base64 | tr -d '/+=' ; }
sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
TILL_KEY=$(secret) REPORTING_KEY=$(secret) OPERATOR_PASSWORD=$(secret)
OPERATOR_HASH=$(printf '%s\n' "$OPERATOR_PASSWORD" | dotnet services/SynchroMesh.Admin/bin/Release/net10.0/synchromesh-admin.dll hash-password)
(umask 077 && printf 'TILL_KEY=%s\nREPORTING_KEY=%s\nOPERATOR_PASSWORD=%s\n' "$TILL_KEY" "$REPORTING_KEY" "$OPERATOR_PASSWORD" >"$LOGS/credentials.env")
till() { curl -H "X-Api-Key: $TILL_KEY" "$@"; }
reporting() { curl -H "X-Api-Key: $REPORTING_KEY" "$@"; }

say "Head office"
Authentication__Operators__operator__PasswordHash=$OPERATOR_HASH \
Authentication__ApiKeys__reporting__Sha256=$(sha256 "$REPORTING_KEY") Authentication__ApiKeys__reporting__Role=reporting \
ConnectionStrings__HeadOffice=$(database synchromesh_head_office) \
    dotnet services/SynchroMesh.HeadOfficeIngest/bin/Release/net10.0/SynchroMesh.HeadOfficeIngest.dll \
    --contentRoot "$ROOT/services/SynchroMesh.HeadOfficeIngest/bin/Release/net10.0" --urls "$HO_URL" \
    >"$LOGS/head-office.log" 2>&1 &
PIDS+=($!)

for i in "${!BRANCHES[@]}"; do
    id=${BRANCHES[$i]}
    # Each branch speaks to the broker as its own user, allowed only its own queues and acks.
    bash deploy/branch-access.sh provision --branch "$id" --env-file "$LOGS/$id.env" --rotate
    (set -a && . "$LOGS/$id.env" && set +a &&
        exec env ConnectionStrings__Branch=$(database "synchromesh_${id//-/_}") Sync__AckTimeout=00:00:30 \
        Authentication__ApiKeys__till__Sha256="$(sha256 "$TILL_KEY")" Authentication__ApiKeys__till__Role=till \
        dotnet services/SynchroMesh.BranchOutbox/bin/Release/net10.0/SynchroMesh.BranchOutbox.dll \
        --contentRoot "$ROOT/services/SynchroMesh.BranchOutbox/bin/Release/net10.0" --urls "http://127.0.0.1:${BRANCH_PORTS[$i]}" \
        >"$LOGS/$id.log" 2>&1) &
    PIDS+=($!)
done

wait_ready "head office" "$HO_URL" "$LOGS/head-office.log" "${PIDS[0]}"
for i in "${!BRANCHES[@]}"; do
    wait_ready "${BRANCHES[$i]}" "http://127.0.0.1:${BRANCH_PORTS[$i]}" "$LOGS/${BRANCHES[$i]}.log" "${PIDS[$((i + 1))]}"
done

say "Sales recorded at the branches"
declare -A EXPECTED   # "branch/id" -> the version the head office must end with
version_of() { sed -E 's/.*"version":([0-9]+).*/\1/' <<<"$1"; }
for i in "${!BRANCHES[@]}"; do
    id=${BRANCHES[$i]} url="http://127.0.0.1:${BRANCH_PORTS[$i]}"
    ids=()
    for product in espresso croissant muffin; do
        body="{\"date\":\"$(date -u +%F)\",\"product\":\"$product\",\"region\":\"${id#branch-}\",\"qty\":2,\"cost\":3.5,\"tax\":0.2}"
        created=$(till -fsS -X POST -H 'Content-Type: application/json' -d "$body" "$url/products")
        echo "$id: $created"
        ids+=("$(sed -E 's/.*"id":([0-9]+).*/\1/' <<<"$created")")
        EXPECTED[$id/${ids[-1]}]=$(version_of "$created")
    done
    # Versions come from the branch database's one sequence: each change takes the next, whichever row it is.
    updated=$(till -fsS -X PUT -H 'Content-Type: application/json' \
        -d "{\"date\":\"$(date -u +%F)\",\"product\":\"muffin\",\"region\":\"${id#branch-}\",\"qty\":5,\"cost\":3.5,\"tax\":0.2}" \
        "$url/products/${ids[2]}")
    EXPECTED[$id/${ids[2]}]=$(version_of "$updated")
    echo "$id: updated product ${ids[2]} (qty 5, version ${EXPECTED[$id/${ids[2]}]})"
    till -fsS -X DELETE "$url/products/${ids[0]}"
    EXPECTED[$id/${ids[0]}]=$(version_of "$(till -fsS "$url/products/${ids[0]}")")
    echo "$id: soft-deleted product ${ids[0]} (version ${EXPECTED[$id/${ids[0]}]})"
done

say "Waiting for the head office to hold every sale at its latest version"
for key in $(printf '%s\n' "${!EXPECTED[@]}" | sort); do
    branch=${key%/*} external=${key#*/} row=""
    for _ in $(seq 1 60); do
        row=$(reporting -fsS "$HO_URL/branches/$branch/products/$external" 2>/dev/null || true)
        grep -q "\"version\":${EXPECTED[$key]}," <<<"$row" && break
        sleep 1
    done
    grep -q "\"version\":${EXPECTED[$key]}," <<<"$row" ||
        { echo "the head office does not hold $key at version ${EXPECTED[$key]}: ${row:-nothing}" >&2; exit 1; }
    echo "head office: $row"
done

say "Done: 3 sales per branch, one updated and one deleted, all at the head office"
echo "Logs: $LOGS. Head office: $HO_URL/console (user operator) and $HO_URL/branches/{branchId}/products; branches: ports ${BRANCH_PORTS[*]}."
echo "Credentials of this run (operator's password, till and reporting keys): $LOGS/credentials.env"
if ! $ONCE; then
    echo "Services keep running; press Ctrl-C to stop them."
    wait
fi
