#!/usr/bin/env bash
# A branch's broker user at the head office's RabbitMQ: synchromesh-admin (services/SynchroMesh.Admin), built on
# first use, with the local servers' administrator as default. Every argument goes to the tool:
#
#   bash deploy/branch-access.sh provision --branch ID [--vhost VHOST] [--env-file FILE] [--rotate]
#   bash deploy/branch-access.sh rotate    --branch ID [--vhost VHOST] [--env-file FILE]
#   bash deploy/branch-access.sh revoke    --branch ID [--vhost VHOST] [--delete-queues]
#   bash deploy/branch-access.sh list
#   bash deploy/branch-access.sh --help
#
# RABBITMQ_ADMIN_USER and RABBITMQ_ADMIN_PASSWORD default to SYNCHROMESH_RABBIT_USER and SYNCHROMESH_RABBIT_PASSWORD,
# the user deploy/servers.sh makes; against any other broker, set them (and RABBITMQ_MANAGEMENT_URL).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROJECT=$ROOT/services/SynchroMesh.Admin
TOOL=$PROJECT/bin/Release/net10.0/synchromesh-admin.dll

export RABBITMQ_ADMIN_USER=${RABBITMQ_ADMIN_USER:-${SYNCHROMESH_RABBIT_USER:-synchromesh}}
export RABBITMQ_ADMIN_PASSWORD=${RABBITMQ_ADMIN_PASSWORD:-${SYNCHROMESH_RABBIT_PASSWORD:-synchromesh}}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Built when missing or older than any of its sources (its own and the topology's).
if [[ ! -f $TOOL ]] || [[ -n $(find "$PROJECT" "$ROOT/services/SynchroMesh.Broker" -name '*.cs' -newer "$TOOL" -print -quit) ]]; then
    dotnet build "$PROJECT" -c Release -v quiet -nologo >&2
fi
exec dotnet "$TOOL" "$@"
