#!/usr/bin/env bash
# The demo, the main job on one machine: starts PostgreSQL and RabbitMQ (installing them when missing), the head
# office and three branches, each behind a link that goes down and up on a schedule (one branch is online a fifth
# of the time), writes sales, updates and deletes at every branch (through the API, and by a till's plain SQL),
# and shows a live table. After the chosen duration it stops writing, waits until everything has converged, runs
# the invariant checker and prints its verdict (exit 0 when lost, duplicated and stale are all zero). Ctrl-C stops
# everything it started and removes the demo's databases and virtual host.
#
#   bash deploy/demo.sh [--minutes 3] [--branches 3] [--rate 4] [--seed 1]
set -euo pipefail

cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash deploy/servers.sh start
echo "demo: building"
dotnet build SynchroMesh.sln -c Release -v quiet -nologo
exec dotnet tests/SynchroMesh.Demo/bin/Release/net10.0/SynchroMesh.Demo.dll "$@"
