#!/usr/bin/env bash
# Checks the container files without a Docker engine (none runs on the development machine or in CI):
#   - each compose file is valid for docker-compose (`config`, from Debian's package) with a full env file, and
#     refuses to render without its passwords (no secret has a default);
#   - dclint (compose best practices, rules in .dclintrc) and dockerfile-utils (Dockerfile lint) find nothing;
#   - deploy/Dockerfile's service stages each run as a non-root user, have a HEALTHCHECK, bake in no secret, and
#     build from the SDK image but run on the ASP.NET runtime image.
# What it cannot check: that the images build and the containers start; see docs/operations.md, "Deploying with containers".
#
#   bash deploy/check-containers.sh
# Prints one line per check and ends with "containers: <passed> passed, <failed> failed"; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

LINT_DIR=${SYNCHROMESH_LINT_DIR:-.local/lint}
passed=0 failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() {
    local name=$1; shift
    if output=$("$@" 2>&1); then
        passed=$((passed + 1)); printf 'ok    %s\n' "$name"
    else
        failed=$((failed + 1)); printf 'FAIL  %s\n%s\n' "$name" "$(sed 's/^/      /' <<<"$output")"
    fi
}

# Tools: docker-compose from Debian's package, the linters from npm, pinned, installed once under .local.
if ! command -v docker-compose >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null 2>&1 ||
            { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null 2>&1; }
    fi
    command -v docker-compose >/dev/null || { echo "check-containers: docker-compose is missing (apt-get install docker-compose)" >&2; exit 1; }
fi
if [[ ! -x $LINT_DIR/node_modules/.bin/dclint || ! -x $LINT_DIR/node_modules/.bin/dockerfile-utils ]]; then
    mkdir -p "$LINT_DIR"
    npm install --prefix "$LINT_DIR" --no-audit --no-fund --silent dclint@3.1.0 dockerfile-utils@0.16.3 >/dev/null ||
        { echo "check-containers: could not install dclint and dockerfile-utils from npm" >&2; exit 1; }
fi

# Values for every variable the compose files require; none of them is a real secret.
cat >"$work/ho.env" <<'EOF'
HO_POSTGRES_PASSWORD=check-only
HO_RABBIT_PASSWORD=check-only
HO_OPERATOR_PASSWORD_HASH=check-only
HO_REPORTING_KEY_SHA256=check-only
EOF
cat >"$work/branch.env" <<'EOF'
Branch__Id=north
RabbitMq__Host=ho.example.net
RabbitMq__Username=branch-north
RabbitMq__Password=check-only
BRANCH_POSTGRES_PASSWORD=check-only
TILL_KEY_SHA256=check-only
EOF

renders() { docker-compose --env-file "$1" -f "$2" config -q; }
# Fails unless rendering without the env file stops on the named variable.
refuses_without() {
    local file=$1 variable=$2 output
    : >"$work/empty.env"
    if output=$(env -i PATH="$PATH" docker-compose --env-file "$work/empty.env" -f "$file" config -q 2>&1); then
        echo "rendered without $variable"; return 1
    fi
    grep -q "$variable" <<<"$output" || { echo "refused, but not naming $variable: $output"; return 1; }
}

check "compose: head-office.yml renders" renders "$work/ho.env" deploy/compose/head-office.yml
check "compose: branch.yml renders" renders "$work/branch.env" deploy/compose/branch.yml
check "compose: head-office.yml needs HO_POSTGRES_PASSWORD" refuses_without deploy/compose/head-office.yml HO_POSTGRES_PASSWORD
check "compose: branch.yml needs the branch's broker password" refuses_without deploy/compose/branch.yml 'RabbitMq__\|BRANCH_POSTGRES_PASSWORD\|Branch__Id'
# The APIs' credentials are required too: no office runs open to anyone.
refuses_without_credential() {
    local file=$1 env=$2 variable=$3
    grep -v "^$variable=" "$env" >"$work/partial.env"
    if output=$(env -i PATH="$PATH" docker-compose --env-file "$work/partial.env" -f "$file" config -q 2>&1); then
        echo "rendered without $variable"; return 1
    fi
    grep -q "$variable" <<<"$output" || { echo "refused, but not naming $variable: $output"; return 1; }
}
check "compose: head-office.yml needs the operator's password hash" refuses_without_credential deploy/compose/head-office.yml "$work/ho.env" HO_OPERATOR_PASSWORD_HASH
check "compose: head-office.yml needs the reporting key's hash" refuses_without_credential deploy/compose/head-office.yml "$work/ho.env" HO_REPORTING_KEY_SHA256
check "compose: branch.yml needs the till key's hash" refuses_without_credential deploy/compose/branch.yml "$work/branch.env" TILL_KEY_SHA256
# Published ports: on 127.0.0.1, but the broker's AMQP port, which branches reach from other machines.
ports_on_loopback() {
    local open
    open=$(grep -nE "^\s+- '[^']*:[0-9]+'\s*$" deploy/compose/head-office.yml deploy/compose/branch.yml |
        grep -vE -e "- '127\.0\.0\.1:" | grep -v -e ":5672'" || true)
    [[ -z $open ]] || { echo "published beyond 127.0.0.1: $open"; return 1; }
    grep -q "^      - '\${RABBIT_AMQP_PORT:-5672}:5672'" deploy/compose/head-office.yml ||
        { echo "the broker's AMQP port is not published for the branches"; return 1; }
}
check "compose: ports on 127.0.0.1 but the broker's AMQP port" ports_on_loopback
check "compose: dclint" "$LINT_DIR/node_modules/.bin/dclint" -c .dclintrc deploy/compose/head-office.yml deploy/compose/branch.yml

dockerfile_lint() {
    local output
    output=$("$LINT_DIR/node_modules/.bin/dockerfile-utils" lint deploy/Dockerfile) || { echo "$output"; return 1; }
    [[ -z $output ]] || { echo "$output"; return 1; }
}
check "Dockerfile: dockerfile-utils lint" dockerfile_lint

# The stage a service runs from: from its FROM line to the next FROM.
stage() { awk -v name="$1" '/^FROM /{ inside = ($NF == name) } inside' deploy/Dockerfile; }
service_stage_is_sound() {
    local name=$1 text
    text=$(stage "$name")
    [[ -n $text ]] || { echo "no stage $name"; return 1; }
    grep -q '^HEALTHCHECK ' <<<"$text" || { echo "$name: no HEALTHCHECK"; return 1; }
    grep -q '^ENTRYPOINT ' <<<"$text" || { echo "$name: no ENTRYPOINT"; return 1; }
    grep -q '^FROM runtime AS ' <<<"$text" || { echo "$name: not built on the runtime stage"; return 1; }
}
runtime_is_small_and_unprivileged() {
    local text
    text=$(stage runtime)
    grep -q '^FROM mcr.microsoft.com/dotnet/aspnet:' <<<"$text" || { echo "runtime stage is not the ASP.NET runtime image"; return 1; }
    grep -q '^USER \$APP_UID' <<<"$text" || { echo "runtime stage does not switch to the unprivileged app user"; return 1; }
    ! grep -q '^USER root' deploy/Dockerfile || { echo "a stage switches back to root"; return 1; }
}
no_baked_secret() {
    ! grep -inE '^(ENV|ARG)\b.*(password|secret|token|apikey)' deploy/Dockerfile
}
check "Dockerfile: head-office-ingest stage" service_stage_is_sound head-office-ingest
check "Dockerfile: branch-outbox stage" service_stage_is_sound branch-outbox
check "Dockerfile: runtime image and non-root user" runtime_is_small_and_unprivileged
check "Dockerfile: no secret baked in" no_baked_secret

echo "containers: $passed passed, $failed failed"
((failed == 0))
