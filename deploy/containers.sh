#!/usr/bin/env bash
# SynchroMesh in containers on one machine with podman and no container registry: a head office (PostgreSQL,
# RabbitMQ, HeadOfficeIngest) and branches (each its PostgreSQL and BranchOutbox), from deploy/compose/.
#
#   bash deploy/containers.sh up         set up podman, build what is missing, start the head office and the branches
#                                        (broker users provisioned), wait until every container is healthy, print
#                                        each API's address
#   bash deploy/containers.sh check      record a sale at every branch; exit 0 once the head office holds them all
#   bash deploy/containers.sh cut B      disconnect branch B from the head office's broker (its WAN network)
#   bash deploy/containers.sh reconnect B
#   bash deploy/containers.sh status     the containers, their health, and the settings of this run (env files)
#   bash deploy/containers.sh down       remove what up started: containers, volumes, networks, settings
#   bash deploy/containers.sh setup      only install and configure podman (Debian packages, containers.conf)
#   bash deploy/containers.sh images     only build the images: a Debian 12 base image from this machine's apt
#                                        sources, local stand-ins for the .NET, PostgreSQL and RabbitMQ images, and
#                                        both services' images from deploy/Dockerfile
#
# deploy/Dockerfile and the compose files stay what a user with a registry runs: the .NET stand-ins are tagged with
# the official names, PostgreSQL's and RabbitMQ's are named by POSTGRES_IMAGE and RABBITMQ_IMAGE in this run's env
# files, and every build runs with --pull=never. Each branch reaches the head office's broker only over a network of
# its own (synchromesh-wan-B, where the broker answers as ho-broker), as over a WAN.
#
# Environment: SYNCHROMESH_BRANCHES (default "north south"), SYNCHROMESH_HTTP_PORT (the head office's API, default
# 8100; branch i gets it + i), SYNCHROMESH_POSTGRES_PORT (the head office's database, default 5440; branch i gets
# it + i), SYNCHROMESH_RABBIT_PORT and SYNCHROMESH_RABBIT_MANAGEMENT_PORT (default 5682 and 15682),
# SYNCHROMESH_OTLP_ENDPOINT (where the services send traces, metrics and logs over OTLP; default none),
# SYNCHROMESH_CONTAINER_PROJECT (the names' prefix, default synchromesh), SYNCHROMESH_CONTAINER_STATE (this run's
# settings; default .local/containers), IMAGE_TAG (latest). All ports are on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${SYNCHROMESH_CONTAINER_WORK:-/var/tmp/synchromesh-containers}
DOTNET_ROOT=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
readonly DOTNET_VERSION=10.0
readonly BASE_IMAGE=localhost/debian:12
readonly SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:$DOTNET_VERSION
readonly RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:$DOTNET_VERSION
readonly SERVICES=(head-office-ingest branch-outbox)
readonly POSTGRES_IMAGE=localhost/synchromesh/postgres:15
readonly RABBITMQ_IMAGE=localhost/synchromesh/rabbitmq:3.10-management
readonly STATE=${SYNCHROMESH_CONTAINER_STATE:-$ROOT/.local/containers}
readonly SOCKET=/run/podman/podman.sock
read -r -a BRANCHES <<<"${SYNCHROMESH_BRANCHES:-north south}"
readonly HTTP_PORT=${SYNCHROMESH_HTTP_PORT:-8100}
# Host ports, clear of the development servers' (deploy/servers.sh: 5432, 5672, 15672).
readonly HO_POSTGRES_PORT=${SYNCHROMESH_POSTGRES_PORT:-5440}
readonly RABBIT_AMQP_PORT=${SYNCHROMESH_RABBIT_PORT:-5682}
readonly RABBIT_MANAGEMENT_PORT=${SYNCHROMESH_RABBIT_MANAGEMENT_PORT:-15682}
# Every container, network and volume of a run is named PROJECT-...: two runs with other names and ports coexist.
readonly PROJECT=${SYNCHROMESH_CONTAINER_PROJECT:-synchromesh}
readonly HO_PROJECT=$PROJECT-ho

say() { printf 'containers: %s\n' "$*" >&2; }
die() { printf 'containers: error: %s\n' "$*" >&2; exit 1; }
have_image() { podman image exists "$1"; }

setup() {
    if ! command -v podman >/dev/null || ! command -v mmdebstrap >/dev/null || ! command -v docker-compose >/dev/null || ! command -v jq >/dev/null; then
        say "installing podman and mmdebstrap (Debian packages)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc conmon catatonit containernetworking-plugins \
            golang-github-containernetworking-plugin-dnsname iptables slirp4netns fuse-overlayfs uidmap mmdebstrap \
            podman-compose docker-compose jq >/dev/null
    fi
    # This kind of machine caps open files at 20000 without CAP_SYS_RESOURCE (podman's default ulimits fail), and
    # crun refuses its hybrid cgroup layout (runc does not). No systemd: cgroupfs, and events to a file.
    if [[ ! -s /etc/containers/containers.conf ]]; then
        mkdir -p /etc/containers
        cat >/etc/containers/containers.conf <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
        say "wrote /etc/containers/containers.conf"
    fi
    podman --version >&2
}

base_image() {
    have_image "$BASE_IMAGE" && return
    say "building $BASE_IMAGE from this machine's apt sources (mmdebstrap)"
    local sources
    sources=$(grep -h -E '^(URIs|Suites|Components):' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -3 |
        awk -F': ' '{v[$1]=$2} END {split(v["Suites"], s, " "); for (i in s) printf "deb %s %s %s\n", v["URIs"], s[i], v["Components"]}')
    [[ -n $sources ]] || sources=$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null || true)
    [[ -n $sources ]] || die "no apt source found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
    mkdir -p "$WORK"
    local -a lines
    mapfile -t lines <<<"$sources"
    mmdebstrap --quiet --variant=minbase --mode=root --include=ca-certificates bookworm "$WORK/rootfs.tar" "${lines[@]}"
    podman import "$WORK/rootfs.tar" "$BASE_IMAGE" >/dev/null
    rm -f "$WORK/rootfs.tar"
}

# A stand-in for an official .NET image, from the base image and the .NET installed here. The SDK stand-in trusts
# this machine's extra CAs (its NuGet source may sit behind one), as the machine does.
dotnet_image() {
    local tag=$1 kind=$2 context="$WORK/$2"
    have_image "$tag" && return
    say "building $tag (a local stand-in, from $DOTNET_ROOT)"
    rm -rf "$context" && mkdir -p "$context/dotnet"
    if [[ $kind == sdk ]]; then
        cp -a "$DOTNET_ROOT/." "$context/dotnet/"
        mkdir -p "$context/certs"
        cp /usr/local/share/ca-certificates/*.crt "$context/certs/" 2>/dev/null || true
        cat >"$context/Containerfile" <<EOF
FROM $BASE_IMAGE
COPY certs/ /usr/local/share/ca-certificates/
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && update-ca-certificates
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-online} \\
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
EOF
    else
        cp -a "$DOTNET_ROOT/dotnet" "$DOTNET_ROOT/host" "$DOTNET_ROOT/shared" "$context/dotnet/"
        # The official runtime images' unprivileged user, which deploy/Dockerfile names by $APP_UID.
        cat >"$context/Containerfile" <<EOF
FROM $BASE_IMAGE
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \\
    && groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --no-create-home app
ENV APP_UID=1654 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_RUNNING_IN_CONTAINER=true
EOF
    fi
    podman build --quiet --pull=never -t "$tag" "$context" >/dev/null
    rm -rf "$context"
}

# A stand-in for a server's official image, from the base image and the Debian package (deploy/images/NAME).
server_image() {
    local tag=$1 name=$2
    have_image "$tag" && return
    say "building $tag (a local stand-in, Debian's package)"
    podman build --quiet --pull=never --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$tag" "$ROOT/deploy/images/$name" >/dev/null
}

images() {
    command -v podman >/dev/null || die "podman is not installed: bash deploy/containers.sh setup"
    base_image
    dotnet_image "$SDK_IMAGE" sdk
    dotnet_image "$RUNTIME_IMAGE" runtime
    server_image "$POSTGRES_IMAGE" postgres
    server_image "$RABBITMQ_IMAGE" rabbitmq
    local service started
    for service in "${SERVICES[@]}"; do
        started=$SECONDS
        # The docker format keeps the Dockerfile's HEALTHCHECK (the OCI format has none). Layers are cached: after
        # the first build, a build costs the publish of what changed.
        mkdir -p "$WORK"
        if ! podman build --quiet --format docker --pull=never -f "$ROOT/deploy/Dockerfile" --target "$service" \
            -t "synchromesh/$service:${IMAGE_TAG:-latest}" "$ROOT" >/dev/null 2>"$WORK/build.log"; then
            cat "$WORK/build.log" >&2
            die "building synchromesh/$service failed"
        fi
        say "synchromesh/$service:${IMAGE_TAG:-latest} built in $((SECONDS - started)) s, $(podman image inspect --format '{{.Size}}' "synchromesh/$service:${IMAGE_TAG:-latest}" | awk '{printf "%.0f MB", $1 / 1000000}')"
    done
}

# --- running them ---------------------------------------------------------------------------------------------------

# docker-compose (Debian's) talks to podman through its Docker-compatible API socket, which no systemd starts here.
api_socket() {
    curl -sf --unix-socket "$SOCKET" http://podman/_ping >/dev/null 2>&1 && return
    mkdir -p "$(dirname "$SOCKET")" "$STATE"
    setsid podman system service --time=0 "unix://$SOCKET" >"$STATE/podman-service.log" 2>&1 </dev/null &
    echo $! >"$STATE/podman-service.pid"
    local i
    for ((i = 0; i < 50; i++)); do
        curl -sf --unix-socket "$SOCKET" http://podman/_ping >/dev/null 2>&1 && return
        sleep 0.2
    done
    die "podman's API socket did not answer; see $STATE/podman-service.log"
}

compose() { DOCKER_HOST=unix://$SOCKET docker-compose "$@"; }
ho_compose() { compose -p "$HO_PROJECT" --env-file "$STATE/ho.env" -f "$ROOT/deploy/compose/head-office.yml" "$@"; }
branch_compose() { compose -p "$PROJECT-$1" --env-file "$STATE/$1.env" -f "$ROOT/deploy/compose/branch.yml" "${@:2}"; }
container_of() { printf '%s_%s_1' "$1" "$2"; }
setting() { sed -n "s/^$2=//p" "$STATE/$1.env" | tail -1; }

# Podman runs a container's HEALTHCHECK from a systemd timer; without systemd, this loop does it, each container at
# its own interval, for as long as containers of ours run (up starts it, down stops it).
health_driver() {
    [[ -f $STATE/health.pid ]] && kill -0 "$(cat "$STATE/health.pid")" 2>/dev/null && return
    (
        # A container's interval is read once (by its id: a re-created container is a new one); each tick lists the
        # running containers and runs the checks that are due.
        declare -A due every
        while true; do
            now=$(date +%s)
            for id in $(podman ps --filter name="^$PROJECT-" --format '{{.ID}}'); do
                [[ -n ${every[$id]:-} ]] ||
                    every[$id]=$(podman inspect --format '{{if .Config.Healthcheck}}{{.Config.Healthcheck.Interval}}{{else}}none{{end}}' "$id" 2>/dev/null)
                [[ ${every[$id]} =~ ^[0-9] ]] || continue
                if ((now >= ${due[$id]:-0})); then
                    podman healthcheck run "$id" >/dev/null 2>&1 || true
                    due[$id]=$((now + $(seconds "${every[$id]}")))
                fi
            done
            sleep 2
        done
    ) >/dev/null 2>&1 </dev/null &
    echo $! >"$STATE/health.pid"
    disown
}

# "15s", "1m30s", "500ms" (Go durations as podman prints them) in whole seconds, at least 1.
seconds() {
    local d=$1 total=0 n unit
    while [[ $d =~ ^([0-9.]+)(ms|h|m|s)(.*)$ ]]; do
        n=${BASH_REMATCH[1]%.*} unit=${BASH_REMATCH[2]} d=${BASH_REMATCH[3]}
        case $unit in h) total=$((total + n * 3600)) ;; m) total=$((total + n * 60)) ;; s) total=$((total + n)) ;; esac
    done
    echo $((total > 0 ? total : 1))
}

secret() { head -c 18 /dev/urandom | base64 | tr -d '/+=' ; }

# One secret of this run in secrets.env (readable by root only), made once and kept until down; the variable
# SYNCHROMESH_<name>, when given, sets it (the fault lab passes its own credentials).
ensure_secret() {
    local name=$1 given=SYNCHROMESH_$1
    if [[ -n ${!given:-} ]]; then
        [[ $(grep "^$name=" "$STATE/secrets.env" 2>/dev/null) == "$name=${!given}" ]] && return
        (umask 077 && { grep -v "^$name=" "$STATE/secrets.env" 2>/dev/null || true; printf '%s=%s\n' "$name" "${!given}"; } >"$STATE/secrets.env.new" &&
            mv "$STATE/secrets.env.new" "$STATE/secrets.env")
        [[ $name == OPERATOR_PASSWORD ]] && rm -f "$STATE/operator.hash"
        return 0
    fi
    grep -q "^$name=" "$STATE/secrets.env" 2>/dev/null && return
    (umask 077 && printf '%s=%s\n' "$name" "$(secret)$(secret)" >>"$STATE/secrets.env")
}

# This run's settings, made once and kept (readable by root only) until down.
settings() {
    mkdir -p "$STATE" && chmod 0700 "$STATE"
    local name
    for name in HO_POSTGRES_PASSWORD HO_RABBIT_PASSWORD BRANCH_POSTGRES_PASSWORD BRANCH_RABBIT_PASSWORD TILL_KEY REPORTING_KEY OPERATOR_PASSWORD; do
        ensure_secret "$name"
    done
    # shellcheck disable=SC1091
    source "$STATE/secrets.env"
    # The services hold the keys' SHA-256 and the password's hash, never the secrets themselves.
    [[ -s $STATE/operator.hash ]] || {
        printf '%s\n' "$OPERATOR_PASSWORD" | bash "$ROOT/deploy/branch-access.sh" hash-password >"$STATE/operator.hash.new" &&
            mv "$STATE/operator.hash.new" "$STATE/operator.hash"
    } || die "could not hash the operator's password (synchromesh-admin hash-password)"
    umask 077
    cat >"$STATE/ho.env" <<EOF
HO_POSTGRES_PASSWORD=$HO_POSTGRES_PASSWORD
HO_RABBIT_USER=head-office
HO_RABBIT_PASSWORD=$HO_RABBIT_PASSWORD
RABBIT_VHOST=synchromesh
HO_HTTP_PORT=$HTTP_PORT
HO_POSTGRES_PORT=$HO_POSTGRES_PORT
RABBIT_AMQP_PORT=$RABBIT_AMQP_PORT
RABBIT_MANAGEMENT_PORT=$RABBIT_MANAGEMENT_PORT
OTEL_EXPORTER_OTLP_ENDPOINT=${SYNCHROMESH_OTLP_ENDPOINT:-}
POSTGRES_IMAGE=$POSTGRES_IMAGE
RABBITMQ_IMAGE=$RABBITMQ_IMAGE
IMAGE_TAG=${IMAGE_TAG:-latest}
HO_REPORTING_KEY_SHA256=$(sha256 "$REPORTING_KEY")
HO_OPERATOR_PASSWORD_HASH=$(cat "$STATE/operator.hash")
EOF
}

# (The script's own cut() cuts a branch's link: the coreutils one is called by name.)
sha256() { printf '%s' "$1" | sha256sum | command cut -d' ' -f1; }

# The branch's broker user at the head office (synchromesh-admin, through the published management port), with
# the settings it needs to reach the broker over its WAN network.
provision_branch() {
    local branch=$1 index=$2
    RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:$RABBIT_MANAGEMENT_PORT RABBITMQ_ADMIN_USER=head-office \
        RABBITMQ_ADMIN_PASSWORD=$HO_RABBIT_PASSWORD RABBITMQ_AMQP_HOST=ho-broker RABBITMQ_AMQP_PORT=5672 \
        BRANCH_RABBIT_PASSWORD=$BRANCH_RABBIT_PASSWORD-$branch \
        bash "$ROOT/deploy/branch-access.sh" provision --branch "$branch" --vhost synchromesh --rotate \
        --env-file "$STATE/$branch.env" >/dev/null
    cat >>"$STATE/$branch.env" <<EOF
BRANCH_POSTGRES_PASSWORD=$BRANCH_POSTGRES_PASSWORD
TILL_KEY_SHA256=$(sha256 "$TILL_KEY")
BRANCH_HTTP_PORT=$((HTTP_PORT + index))
BRANCH_POSTGRES_PORT=$((HO_POSTGRES_PORT + index))
OTEL_EXPORTER_OTLP_ENDPOINT=${SYNCHROMESH_OTLP_ENDPOINT:-}
POSTGRES_IMAGE=$POSTGRES_IMAGE
IMAGE_TAG=${IMAGE_TAG:-latest}
EOF
}

wan() { printf '%s-wan-%s' "$PROJECT" "$1"; }
connected() { podman inspect --format '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}' "$1" | grep -qw "$2"; }

# Each branch's WAN: the broker joins it as ho-broker, the branch's outbox joins it beside its own network.
wire_branch() {
    local branch=$1 broker outbox
    broker=$(container_of "$HO_PROJECT" rabbitmq) outbox=$(container_of "$PROJECT-$branch" branch-outbox)
    podman network exists "$(wan "$branch")" || podman network create "$(wan "$branch")" >/dev/null
    connected "$broker" "$(wan "$branch")" || podman network connect --alias ho-broker "$(wan "$branch")" "$broker"
    connected "$outbox" "$(wan "$branch")" || podman network connect "$(wan "$branch")" "$outbox"
}

our_containers() { podman ps -a --filter name="^$PROJECT-" --format '{{.Names}}'; }

wait_healthy() {
    local deadline=$((SECONDS + ${1:-240})) name status pending
    while true; do
        pending=()
        for name in $(our_containers); do
            status=$(podman inspect --format '{{.State.Status}} {{if .Config.Healthcheck}}{{.State.Health.Status}}{{else}}healthy{{end}}' "$name")
            [[ $status == "running healthy" ]] || pending+=("$name ($status)")
        done
        ((${#pending[@]} == 0)) && return
        ((SECONDS < deadline)) || die "not healthy after ${1:-240} s: ${pending[*]}; see: podman logs NAME"
        sleep 2
    done
}

up() {
    setup
    images
    settings
    api_socket
    health_driver
    local started=$SECONDS
    say "starting the head office ($HO_PROJECT)"
    ho_compose up -d --no-build postgres rabbitmq head-office-ingest 2>&1 | sed 's/^/  /' >&2
    local index=0 branch
    for branch in "${BRANCHES[@]}"; do
        index=$((index + 1))
        say "starting branch $branch ($PROJECT-$branch)"
        provision_branch "$branch" "$index"
        branch_compose "$branch" up -d --no-build 2>&1 | sed 's/^/  /' >&2
        wire_branch "$branch"
    done
    wait_healthy
    say "every container healthy, $((SECONDS - started)) s after the start"
    printf 'head office  http://127.0.0.1:%s  (broker management http://127.0.0.1:%s, user head-office, password in %s)\n' \
        "$HTTP_PORT" "$RABBIT_MANAGEMENT_PORT" "$STATE/ho.env"
    printf 'console      http://127.0.0.1:%s/console  (user operator; its password, the till key and the reporting key in %s)\n' \
        "$HTTP_PORT" "$STATE/secrets.env"
    for branch in "${BRANCHES[@]}"; do
        printf 'branch %-6s http://127.0.0.1:%s\n' "$branch" "$(setting "$branch" BRANCH_HTTP_PORT)"
    done
}

# Records a sale at every branch through its API, then waits until the head office holds each at its version.
check() {
    [[ -s $STATE/ho.env ]] || die "nothing is up: bash deploy/containers.sh up"
    # shellcheck disable=SC1091
    source "$STATE/secrets.env"
    local branch port body id version deadline
    declare -A sales
    for branch in "${BRANCHES[@]}"; do
        port=$(setting "$branch" BRANCH_HTTP_PORT)
        body=$(curl -sS -f -m 10 -X POST "http://127.0.0.1:$port/products" -H 'Content-Type: application/json' -H "X-Api-Key: $TILL_KEY" \
            -d "{\"date\":\"$(date +%F)\",\"product\":\"check\",\"region\":\"$branch\",\"qty\":1,\"cost\":2.5,\"tax\":0.2}") ||
            die "branch $branch did not take a sale on port $port"
        sales[$branch]="$(jq -r '.id' <<<"$body") $(jq -r '.version' <<<"$body")"
        say "branch $branch recorded sale ${sales[$branch]% *} (version ${sales[$branch]#* })"
    done
    deadline=$((SECONDS + ${CHECK_SECONDS:-120}))
    for branch in "${BRANCHES[@]}"; do
        read -r id version <<<"${sales[$branch]}"
        until [[ $(curl -sf -m 5 -H "X-Api-Key: $REPORTING_KEY" "http://127.0.0.1:$HTTP_PORT/branches/$branch/products/$id" | jq -r '.version' 2>/dev/null) == "$version" ]]; do
            ((SECONDS < deadline)) || die "the head office does not hold $branch/$id v$version after ${CHECK_SECONDS:-120} s"
            sleep 1
        done
        say "the head office holds $branch/$id v$version"
    done
}

cut() {
    local branch=${1:?which branch}
    podman network disconnect "$(wan "$branch")" "$(container_of "$PROJECT-$branch" branch-outbox)"
    say "branch $branch cut off from the head office's broker"
}

reconnect() {
    local branch=${1:?which branch}
    podman network connect "$(wan "$branch")" "$(container_of "$PROJECT-$branch" branch-outbox)"
    say "branch $branch reconnected"
}

status() {
    podman ps -a --filter name="^$PROJECT-" --format '{{.Names}}\t{{.Status}}\t{{.Ports}}'
    ls "$STATE"/*.env 2>/dev/null || true
}

down() {
    local branch env
    if command -v docker-compose >/dev/null && command -v podman >/dev/null; then
        api_socket
        for env in "$STATE"/*.env; do
            [[ -e $env ]] || continue
            branch=$(basename "$env" .env)
            case $branch in
                secrets) ;;
                ho) ho_compose down -v --remove-orphans 2>&1 | sed 's/^/  /' >&2 ;;
                *) branch_compose "$branch" down -v --remove-orphans 2>&1 | sed 's/^/  /' >&2 ;;
            esac
        done
        # What compose did not start or no longer knows of.
        our_containers | xargs -r podman rm -f -t 30 >/dev/null
        podman network ls --format '{{.Name}}' | { grep "^$PROJECT-" || true; } | xargs -r podman network rm -f >/dev/null
        podman volume ls --format '{{.Name}}' | { grep "^$PROJECT-" || true; } | xargs -r podman volume rm -f >/dev/null
    fi
    local pid
    for pid in health podman-service; do
        [[ -f $STATE/$pid.pid ]] && kill "$(cat "$STATE/$pid.pid")" 2>/dev/null || true
    done
    rm -rf "$STATE"
    say "down: containers, volumes, networks and this run's settings removed (images kept)"
}

case ${1:-} in
    setup) setup ;;
    images) images ;;
    up) up ;;
    check) check ;;
    cut) cut "${2:-}" ;;
    reconnect) reconnect "${2:-}" ;;
    status) status ;;
    down) down ;;
    *) sed -n '4,16p' "$0" | sed 's/^#   //' >&2; exit 2 ;;
esac
