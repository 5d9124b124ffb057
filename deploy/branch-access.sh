#!/usr/bin/env bash
# Gives a branch its own RabbitMQ user at the head office's broker, allowed exactly what a BranchOutbox does, or
# takes it away again. See docs/security.md, "Branch identity and least privilege".
#
#   bash deploy/branch-access.sh provision --branch ID [--vhost VHOST] [--env-file FILE] [--rotate]
#   bash deploy/branch-access.sh revoke    --branch ID [--vhost VHOST] [--delete-queues]
#
# provision creates the user "branch-ID" with the permissions below and prints the settings the branch needs, as
# environment variables (to --env-file, created readable by its owner only, or to stdout). The password is
# BRANCH_RABBIT_PASSWORD when set, else a new random one. Run again for an existing user, it refuses unless given
# --rotate (a new password, which the branch must then get) or BRANCH_RABBIT_PASSWORD; permissions are reapplied.
# revoke deletes the user and closes its open connections; --delete-queues also deletes the branch's queues.
#
# Speaks to the management API as an administrator:
#   RABBITMQ_MANAGEMENT_URL  (default http://127.0.0.1:15672)
#   RABBITMQ_ADMIN_USER, RABBITMQ_ADMIN_PASSWORD  (default SYNCHROMESH_RABBIT_USER/PASSWORD, the local servers' user)
#   RABBITMQ_AMQP_HOST, RABBITMQ_AMQP_PORT  (what the printed settings tell the branch: the broker's address as the
#     branch reaches it; required unless the management URL's host is that address; port default 5672)
set -euo pipefail

MANAGEMENT_URL=${RABBITMQ_MANAGEMENT_URL:-http://127.0.0.1:15672}
ADMIN_USER=${RABBITMQ_ADMIN_USER:-${SYNCHROMESH_RABBIT_USER:-synchromesh}}
ADMIN_PASSWORD=${RABBITMQ_ADMIN_PASSWORD:-${SYNCHROMESH_RABBIT_PASSWORD:-synchromesh}}

# The names a branch's services give what they declare (contracts and BranchOutbox); kept in step with
# SynchroMesh.ServiceDefaults.Messaging.BranchBrokerUsers and BranchOptions.
readonly USER_PREFIX=branch-
readonly BRANCH_ID_PATTERN='^[a-z0-9][a-z0-9-]{0,39}$'
# The head office's endpoint exchanges (MassTransit's, bound to its queues), which a branch's own exchanges feed.
readonly HO_SUBMIT_EXCHANGE=head-office-products-submitted
readonly HO_HEARTBEAT_EXCHANGE=head-office-branch-heartbeats

die() { printf 'branch-access: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '5,6p' "$0" | sed 's/^#   //' >&2; exit 2; }

. "$(dirname "${BASH_SOURCE[0]}")/lib/urlencode.sh"

json_string() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

# api METHOD PATH [BODY]: prints the response body; fails naming the call and the broker's answer. The admin
# password goes to curl on stdin, never on a command line.
api() {
    local method=$1 path=$2 body=${3:-} answer status
    local user=${ADMIN_USER//\\/\\\\} password=${ADMIN_PASSWORD//\\/\\\\}
    answer=$(printf 'user = "%s:%s"\n' "${user//\"/\\\"}" "${password//\"/\\\"}" |
        curl -sS -m 15 -K - -w '\n%{http_code}' -X "$method" \
            -H 'content-type: application/json' ${body:+--data-binary "$body"} "$MANAGEMENT_URL/api/$path") ||
        die "cannot reach the RabbitMQ management API at $MANAGEMENT_URL"
    status=${answer##*$'\n'}
    answer=${answer%$'\n'*}
    case $status in
        2??) printf '%s' "$answer" ;;
        404) [[ $method == DELETE ]] || die "$method /api/$path: not found: $answer" ;;
        401) die "$MANAGEMENT_URL refused the administrator $ADMIN_USER (set RABBITMQ_ADMIN_USER and RABBITMQ_ADMIN_PASSWORD)" ;;
        *) die "$method /api/$path answered $status: $answer" ;;
    esac
}

command=${1:-}
[[ $command == provision || $command == revoke ]] || usage
shift
branch='' vhost=/ env_file='' delete_queues=false rotate=false
while (($#)); do
    case $1 in
        --branch) branch=${2:-}; shift 2 ;;
        --vhost) vhost=${2:-}; shift 2 ;;
        --env-file) env_file=${2:-}; shift 2 ;;
        --delete-queues) delete_queues=true; shift ;;
        --rotate) rotate=true; shift ;;
        *) usage ;;
    esac
done
[[ $branch =~ $BRANCH_ID_PATTERN ]] ||
    die "--branch '$branch' is not a branch id: lower-case letters, digits and dashes, at most 40, starting with a letter or digit"
[[ -n $vhost ]] || die "--vhost must not be empty"

user=$USER_PREFIX$branch
vhost_path=$(urlencode "$vhost")
user_path=$(urlencode "$user")
# A branch id holds only [a-z0-9-], so it needs no escaping inside a pattern; the fixed suffixes keep branch "a"
# off the queues of branch "a-b".
own="$branch-((product-sync|scheduler|bus)(_error|_skipped)?|acks|submit|heartbeat)"

provision() {
    local password=${BRANCH_RABBIT_PASSWORD:-} existing
    existing=$(api GET "users" | grep -o "\"name\":\"$user\"" || true)
    if [[ -n $existing && -z $password && $rotate != true ]]; then
        die "$user exists already: pass --rotate for a new password (the branch must then get it), or BRANCH_RABBIT_PASSWORD"
    fi
    if [[ -z $password ]]; then
        password=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 32)
    fi

    api PUT "users/$user_path" "{\"password\":$(json_string "$password"),\"tags\":\"\"}" >/dev/null
    # configure, write, read: its own queues and exchanges, nothing else. It sends its batches and heartbeats to
    #   its own <id>-submit and <id>-heartbeat exchanges, which this script binds to the head office's endpoints, and
    #   hears its acks on its own <id>-acks exchange, to which the head office sends them: no right on any exchange
    #   another branch uses, so none to delete, redeclare or bind from.
    api PUT "permissions/$vhost_path/$user_path" "$(printf '{"configure":%s,"write":%s,"read":%s}' \
        "$(json_string "^$own\$")" "$(json_string "^$own\$")" "$(json_string "^$own\$")")" >/dev/null
    # The routes, made here with the administrator's rights: the branch's exchanges into the head office's. Declared
    # as MassTransit declares them (durable fanout), so whichever side comes first, the other's declaration matches.
    local from to from_to
    for from_to in "$branch-submit $HO_SUBMIT_EXCHANGE" "$branch-heartbeat $HO_HEARTBEAT_EXCHANGE"; do
        read -r from to <<<"$from_to"
        api PUT "exchanges/$vhost_path/$(urlencode "$from")" '{"type":"fanout","durable":true}' >/dev/null
        api PUT "exchanges/$vhost_path/$(urlencode "$to")" '{"type":"fanout","durable":true}' >/dev/null
        api POST "bindings/$vhost_path/e/$(urlencode "$from")/e/$(urlencode "$to")" '{"routing_key":""}' >/dev/null
    done
    # A branch needs no topic permission (its acks come through its own exchange); any left on the user is removed.
    api DELETE "topic-permissions/$vhost_path/$user_path" >/dev/null

    local amqp_host=${RABBITMQ_AMQP_HOST:-$(sed -E 's#^[a-z]+://([^:/]+).*#\1#' <<<"$MANAGEMENT_URL")}
    local settings
    settings=$(cat <<EOF
Branch__Id=$branch
RabbitMq__Host=$amqp_host
RabbitMq__Port=${RABBITMQ_AMQP_PORT:-5672}
RabbitMq__VirtualHost=$vhost
RabbitMq__Username=$user
RabbitMq__Password=$password
EOF
)
    if [[ -n $env_file ]]; then
        (umask 077 && printf '%s\n' "$settings" >"$env_file")
        printf 'branch-access: %s may use its own queues and exchanges (%s-*) and nothing else; %s-submit and %s-heartbeat feed the head office; settings in %s\n' \
            "$user" "$branch" "$branch" "$branch" "$env_file" >&2
    else
        printf '%s\n' "$settings"
    fi
}

revoke() {
    api DELETE "users/$user_path" >/dev/null
    # Deleting a user leaves its open connections alone; close them so the revoked branch stops at once.
    local name
    while IFS= read -r name; do
        [[ -n $name ]] && api DELETE "connections/$(urlencode "$name")" >/dev/null
    done < <(api GET "connections/username/$user_path" | grep -o '"name":"[^"]*"' | sed 's/^"name":"//; s/"$//')
    if [[ $delete_queues == true ]]; then
        local suffix queue
        for queue in product-sync scheduler bus; do
            for suffix in '' _error _skipped; do
                api DELETE "queues/$vhost_path/$(urlencode "$branch-$queue$suffix")" >/dev/null
                api DELETE "exchanges/$vhost_path/$(urlencode "$branch-$queue$suffix")" >/dev/null
            done
        done
        for queue in acks submit heartbeat; do
            api DELETE "exchanges/$vhost_path/$(urlencode "$branch-$queue")" >/dev/null
        done
    fi
    printf 'branch-access: revoked %s on %s%s\n' "$user" "$vhost" "$([[ $delete_queues == true ]] && echo ', queues deleted')" >&2
}

"$command"
