#!/usr/bin/env bash
# The demo, the main job on one machine: starts PostgreSQL and RabbitMQ (installing them when missing), the head
# office and three branches, each behind a link that goes down and up on a schedule (one branch is online a fifth
# of the time), writes sales, updates and deletes at every branch (through the API, and by a till's plain SQL),
# and shows a live table. After the chosen duration it stops writing, waits until everything has converged, runs
# the invariant checker and prints its verdict (exit 0 when lost, duplicated and stale are all zero). Ctrl-C stops
# everything it started and removes the demo's databases and virtual host.
#
# The services send their traces, metrics and logs to an Aspire dashboard that the demo starts first (its address
# is the first thing printed): a sale's trace goes from the branch's API through the outbox and the head office's
# consumer and SQL to the ack at the branch. Run from a terminal, the demo keeps the dashboard open at the end until
# Enter. SYNCHROMESH_DASHBOARD=off runs without it; SYNCHROMESH_DASHBOARD_PORT (default 18888) moves it, its OTLP
# port being the next one.
#
#   bash deploy/demo.sh [--minutes 3] [--branches 3] [--rate 4] [--seed 1]
set -euo pipefail

cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash deploy/servers.sh start
echo "demo: building"
dotnet build SynchroMesh.sln -c Release -v quiet -nologo

dashboard_pid=
stop_dashboard() { [[ -z $dashboard_pid ]] || kill "$dashboard_pid" 2>/dev/null || true; }
trap stop_dashboard EXIT
if [[ ${SYNCHROMESH_DASHBOARD:-on} != off ]]; then
    # The dashboard that the Aspire AppHost runs, standalone: restored with the AppHost's packages.
    port=${SYNCHROMESH_DASHBOARD_PORT:-18888}
    version=$(sed -n 's/.*Include="Aspire.Hosting.AppHost" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
    packages=$(dotnet nuget locals global-packages -l | sed 's/^global-packages: //')
    binary=${packages%/}/aspire.dashboard.sdk.linux-x64/$version/tools/Aspire.Dashboard
    [[ -x $binary ]] || { echo "demo: no Aspire dashboard at $binary (restore services/SynchroMesh.AppHost)" >&2; exit 1; }
    mkdir -p .local/logs
    # Local use only: no login, plain HTTP, on 127.0.0.1.
    ASPNETCORE_URLS=http://127.0.0.1:$port ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:$((port + 1)) \
        ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true "$binary" >.local/logs/dashboard.log 2>&1 &
    dashboard_pid=$!
    for _ in $(seq 1 60); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && break
        kill -0 "$dashboard_pid" 2>/dev/null || { cat .local/logs/dashboard.log >&2; exit 1; }
        sleep 0.5
    done
    export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$((port + 1)) SYNCHROMESH_DASHBOARD_URL=http://127.0.0.1:$port
    echo "demo: traces, metrics and logs in the Aspire dashboard: http://127.0.0.1:$port (Traces: a sale's way end to end)"
fi

status=0
dotnet tests/SynchroMesh.Demo/bin/Release/net10.0/SynchroMesh.Demo.dll "$@" || status=$?
if [[ -n $dashboard_pid && -t 0 ]]; then
    read -r -p "demo: the dashboard stays at http://127.0.0.1:${SYNCHROMESH_DASHBOARD_PORT:-18888} until you press Enter " _ || true
fi
exit "$status"
