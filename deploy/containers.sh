#!/usr/bin/env bash
# The services' container images, built on a machine with podman and no container registry.
#
#   bash deploy/containers.sh setup    install podman and what it needs (Debian packages), configure it for this
#                                      kind of machine (/etc/containers/containers.conf)
#   bash deploy/containers.sh images   build what is missing: a Debian 12 base image from the machine's apt sources,
#                                      local stand-ins for the .NET SDK and ASP.NET images that deploy/Dockerfile
#                                      names (from the .NET installed here), then both services' images
#
# deploy/Dockerfile stays what a user with a registry builds: the stand-ins are tagged with the official names and
# every build runs with --pull=never, so nothing asks a registry. IMAGE_TAG (default latest) tags the services.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${SYNCHROMESH_CONTAINER_WORK:-/var/tmp/synchromesh-containers}
DOTNET_ROOT=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
readonly DOTNET_VERSION=10.0
readonly BASE_IMAGE=localhost/debian:12
readonly SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:$DOTNET_VERSION
readonly RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:$DOTNET_VERSION
readonly SERVICES=(head-office-ingest branch-outbox)

say() { printf 'containers: %s\n' "$*" >&2; }
die() { printf 'containers: error: %s\n' "$*" >&2; exit 1; }
have_image() { podman image exists "$1"; }

setup() {
    if ! command -v podman >/dev/null || ! command -v mmdebstrap >/dev/null; then
        say "installing podman and mmdebstrap (Debian packages)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc conmon catatonit containernetworking-plugins \
            golang-github-containernetworking-plugin-dnsname iptables slirp4netns fuse-overlayfs uidmap mmdebstrap \
            podman-compose >/dev/null
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

images() {
    command -v podman >/dev/null || die "podman is not installed: bash deploy/containers.sh setup"
    base_image
    dotnet_image "$SDK_IMAGE" sdk
    dotnet_image "$RUNTIME_IMAGE" runtime
    local service started
    for service in "${SERVICES[@]}"; do
        started=$SECONDS
        # The docker format keeps the Dockerfile's HEALTHCHECK (the OCI format has none).
        podman build --quiet --format docker --pull=never -f "$ROOT/deploy/Dockerfile" --target "$service" \
            -t "synchromesh/$service:${IMAGE_TAG:-latest}" "$ROOT" >/dev/null
        say "synchromesh/$service:${IMAGE_TAG:-latest} built in $((SECONDS - started)) s, $(podman image inspect --format '{{.Size}}' "synchromesh/$service:${IMAGE_TAG:-latest}" | awk '{printf "%.0f MB", $1 / 1000000}')"
    done
}

case ${1:-} in
    setup) setup ;;
    images) images ;;
    *) sed -n '4,9p' "$0" | sed 's/^#   //' >&2; exit 2 ;;
esac
