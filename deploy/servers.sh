#!/usr/bin/env bash
# Local PostgreSQL and RabbitMQ for development and CI, from Debian packages, on 127.0.0.1 only,
# without systemd. See deploy/README.md.
#
#   bash deploy/servers.sh [start|stop|status|start-postgres|stop-postgres|kill-postgres|start-rabbit|stop-rabbit|kill-rabbit]
#   bash deploy/servers.sh [start-cluster|stop-cluster|cluster-status|start-node N|stop-node N|kill-node N|cut-node N|heal-node N]
#   bash deploy/servers.sh install-browser    (Debian's Chromium, for the console's browser specs)
#
# Every command is idempotent and waits until the requested state is reached (or fails with a
# message naming the server and its log). Run as root: it installs packages and starts daemons as
# their own users.
set -euo pipefail

PG_USER=${SYNCHROMESH_PG_USER:-synchromesh}
PG_PASSWORD=${SYNCHROMESH_PG_PASSWORD:-synchromesh}
RABBIT_USER=${SYNCHROMESH_RABBIT_USER:-synchromesh}
RABBIT_PASSWORD=${SYNCHROMESH_RABBIT_PASSWORD:-synchromesh}
TIMEOUT=${SYNCHROMESH_SERVER_TIMEOUT:-120}

readonly HOST=127.0.0.1
readonly PG_PORT=5432
readonly PG_MAX_CONNECTIONS=300
readonly AMQP_PORT=5672
# AMQPS, with a certificate signed by a CA of the machine's own (see write_rabbit_tls): what RabbitMq__UseTls is tested against.
readonly AMQPS_PORT=5671
readonly MANAGEMENT_PORT=15672
readonly EPMD_PORT=4369
# A fixed node name on "localhost" keeps the node reachable whatever the machine's hostname resolves to.
readonly RABBIT_NODE=rabbit@localhost
readonly RABBIT_ETC=/etc/rabbitmq
readonly RABBIT_TLS=$RABBIT_ETC/tls
readonly RABBIT_HOME=/var/lib/rabbitmq
readonly RABBIT_LOG_DIR=/var/log/rabbitmq

log() { printf 'servers: %s\n' "$*"; }
warn() { printf 'servers: warning: %s\n' "$*" >&2; }
die() { printf 'servers: error: %s\n' "$*" >&2; exit 1; }

# wait_until <what> <command...>: polls the command once a second until it succeeds or TIMEOUT passes.
wait_until() {
    local what=$1; shift
    local started=$SECONDS deadline=$((SECONDS + TIMEOUT))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            return 1
        fi
        sleep 1
    done
    log "$what (waited $((SECONDS - started))s)"
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Runs its arguments with the open-files soft limit raised to the hard one. RabbitMQ takes a file descriptor for every
# connection and for every queue's index journal: at the usual soft limit of 1024 a node fails with emfile at a few
# hundred branches (the fleet benchmark's 500 did). Inside runuser, whose PAM session sets the limits anew.
# RabbitMQ's production checklist asks for at least 50,000 on a production node.
readonly RAISED_FILE_LIMIT='ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"'
port_closed() { ! port_open "$@"; }

# --- packages ----------------------------------------------------------------------------------

install_missing_packages() {
    local packages=()
    if ! command -v pg_ctlcluster >/dev/null || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
        packages+=(postgresql)
    fi
    [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || packages+=(rabbitmq-server)
    command -v curl >/dev/null || packages+=(curl ca-certificates)
    command -v openssl >/dev/null || packages+=(openssl)
    apt_install "${packages[@]}"
}

# Debian's Chromium, for the console's browser specs (Playwright drives it; a browser download fails here).
install_browser() {
    [[ -x /usr/bin/chromium ]] || apt_install chromium
}

apt_install() {
    local packages=("$@")
    ((${#packages[@]} == 0)) && return 0

    log "installing ${packages[*]} (apt)"
    # The packages would try to start their services with the stock configuration; this script
    # starts them itself once its own configuration is in place, so keep invoke-rc.d quiet.
    local policy=/usr/sbin/policy-rc.d own_policy=false
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 0755 "$policy"
        own_policy=true
    fi
    local status=0
    (
        # LANG: the cluster the postgresql package creates takes its encoding from the locale;
        # an unset locale would give SQL_ASCII databases.
        export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=
        apt-get update -q &&
            apt-get install -y -q --no-install-recommends \
                -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
                "${packages[@]}"
    ) </dev/null || status=$?
    if $own_policy; then rm -f "$policy"; fi
    ((status == 0)) || die "apt-get could not install ${packages[*]} (exit $status)"
}

# --- PostgreSQL --------------------------------------------------------------------------------

PG_VERSION='' PG_CLUSTER=''

# Finds the cluster that owns port 5432.
find_cluster() {
    [[ -n $PG_VERSION ]] && return 0
    command -v pg_lsclusters >/dev/null || return 1
    local found
    found=$(pg_lsclusters --no-header 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }')
    [[ -n $found ]] || return 1
    read -r PG_VERSION PG_CLUSTER <<<"$found"
}

# Creates <newest version>/main on port 5432 when no cluster owns it (the postgresql package
# normally creates 15/main on Debian 12, but not when cluster creation is disabled or it was dropped).
ensure_cluster() {
    find_cluster && return 0
    local version
    version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n $version ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
    if [[ -d /etc/postgresql/$version/main ]]; then
        die "PostgreSQL cluster $version/main exists but not on port $PG_PORT; see pg_lsclusters"
    fi
    log "creating PostgreSQL cluster $version/main on port $PG_PORT"
    pg_createcluster "$version" main --port "$PG_PORT" --locale C.UTF-8 --encoding UTF8 >/dev/null
    find_cluster || die "pg_createcluster did not create a cluster on port $PG_PORT"
}

pg_online() {
    find_cluster || return 1
    [[ $(pg_lsclusters --no-header "$PG_VERSION" "$PG_CLUSTER" | awk '{ print $4 }') == online* ]]
}

pg_ready() { pg_isready -q -h "$HOST" -p "$PG_PORT" -t 2; }

# psql as the postgres superuser over the Unix socket (peer authentication).
pg_admin() { (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"); }

# psql as the development role over TCP with its password: exactly what the services and tests do.
pg_app() {
    PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 \
        psql -X -q -A -t -v ON_ERROR_STOP=1 "host=$HOST port=$PG_PORT user=$PG_USER dbname=postgres" "$@"
}

pg_settings_query="select current_setting('max_connections') || ' ' || current_setting('listen_addresses') \
|| ' ' || (select rolcreatedb and rolcreaterole from pg_roles where rolname = current_user)"

start_postgres() {
    ensure_cluster
    if ! pg_online; then
        log "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start </dev/null 9>&- ||
            die "PostgreSQL did not start; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
    fi
    wait_for_postgres
    # Everything in place already: one query, no changes.
    if [[ $(pg_app -c "$pg_settings_query" 2>/dev/null) == "$PG_MAX_CONNECTIONS $HOST true" ]]; then
        log "PostgreSQL ready on $HOST:$PG_PORT (user $PG_USER)"
        return 0
    fi
    configure_postgres
    log "PostgreSQL ready on $HOST:$PG_PORT (user $PG_USER)"
}

wait_for_postgres() {
    wait_until "PostgreSQL accepts connections on $HOST:$PG_PORT" pg_ready ||
        die "PostgreSQL not accepting connections on $HOST:$PG_PORT after ${TIMEOUT}s; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
}

configure_postgres() {
    local current
    current=$(pg_admin -A -t -c "select current_setting('max_connections') || ' ' || current_setting('listen_addresses')")
    if [[ $current != "$PG_MAX_CONNECTIONS $HOST" ]]; then
        # Both settings only take effect at server start.
        log "PostgreSQL: setting max_connections=$PG_MAX_CONNECTIONS, listen_addresses=$HOST (was: $current); restarting"
        pg_admin -c "alter system set max_connections = $PG_MAX_CONNECTIONS" -c "alter system set listen_addresses = '$HOST'"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart </dev/null 9>&- ||
            die "PostgreSQL did not restart; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
        wait_for_postgres
    fi

    log "PostgreSQL: ensuring role $PG_USER (LOGIN CREATEDB CREATEROLE: the tests create a till's role of least rights)"
    # The name and password travel in the environment, not on a command line.
    SM_PG_USER=$PG_USER SM_PG_PASSWORD=$PG_PASSWORD pg_admin <<'SQL'
\getenv pg_user SM_PG_USER
\getenv pg_password SM_PG_PASSWORD
select format('create role %I', :'pg_user') where not exists (select from pg_roles where rolname = :'pg_user') \gexec
alter role :"pg_user" with login createdb createrole password :'pg_password';
SQL

    if ! pg_app -c 'select 1' >/dev/null 2>&1; then
        allow_password_login_over_tcp
    fi
    local error
    error=$(pg_app -c 'select 1' 2>&1 >/dev/null) ||
        die "cannot log in to PostgreSQL as $PG_USER over TCP ($HOST:$PG_PORT): $error"
}

# Debian's default pg_hba.conf already has "host all all 127.0.0.1/32 scram-sha-256"; this only
# runs on a machine where someone removed or shadowed it.
allow_password_login_over_tcp() {
    local hba
    hba=$(pg_admin -A -t -c 'show hba_file')
    log "PostgreSQL: allowing password login for $PG_USER from $HOST in $hba"
    local line="host    all    $PG_USER    $HOST/32    scram-sha-256    # added by deploy/servers.sh"
    # First matching line wins, so the rule goes first.
    sed -i "1i $line" "$hba"
    pg_admin -c 'select pg_reload_conf()' >/dev/null
    sleep 1
}

# wal_level takes effect only at a server start: set it and restart when it changes. The benchmark's peer (PostgreSQL's
# own logical replication) needs "logical" and puts the value it found back afterwards.
set_wal_level() {
    local level=$1 current
    [[ $level == minimal || $level == replica || $level == logical ]] || die "wal-level: minimal, replica or logical, not '$level'"
    pg_online || die "PostgreSQL is not running (bash deploy/servers.sh start)"
    current=$(pg_admin -A -t -c 'show wal_level')
    if [[ $current == "$level" ]]; then
        log "PostgreSQL: wal_level is $level already"
        return 0
    fi
    log "PostgreSQL: setting wal_level=$level (was: $current); restarting"
    pg_admin -c "alter system set wal_level = $level"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart </dev/null 9>&- ||
        die "PostgreSQL did not restart; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
    wait_for_postgres
}

stop_postgres() {
    if pg_online; then
        log "stopping PostgreSQL $PG_VERSION/$PG_CLUSTER"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast </dev/null ||
            die "PostgreSQL did not stop; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
    fi
    wait_until "PostgreSQL stopped" port_closed "$HOST" "$PG_PORT" ||
        die "something still listens on $HOST:$PG_PORT after ${TIMEOUT}s"
}

# --- RabbitMQ ----------------------------------------------------------------------------------

# RabbitMQ's own CLI tools, run as the rabbitmq user (its Erlang cookie) without the Debian wrapper,
# whose re-quoting through "su -c" would mangle arguments containing $ or backticks.
rabbit_cli() {
    local tool=$1; shift
    (cd "$RABBIT_HOME" && HOME=$RABBIT_HOME runuser -u rabbitmq -- "/usr/lib/rabbitmq/bin/$tool" "$@" </dev/null 9>&-)
}

rabbit_running() { rabbit_cli rabbitmq-diagnostics -q ping >/dev/null 2>&1; }

# The node's Erlang VM exists (booting, running or stopping). No CLI call: after a kill -9 on a loaded
# machine each Erlang CLI call takes seconds, and the fault lab restarts the broker under load.
# Zombies do not count: a VM killed a moment ago may not be reaped yet, and pgrep would still match it.
rabbit_process() { ps -u rabbitmq -o stat=,comm= | awk '$1 !~ /^Z/ && $2 == "beam.smp" { found = 1 } END { exit !found }'; }

rabbit_gone() { ! rabbit_process && port_closed "$HOST" "$AMQP_PORT"; }

# Both listeners accept connections: RabbitMQ opens them only once every boot step has run.
rabbit_listening() { port_open "$HOST" "$AMQP_PORT" && port_open "$HOST" "$AMQPS_PORT" && port_open "$HOST" "$MANAGEMENT_PORT"; }

# Writes <file> from stdin when its content differs; returns 0 when it changed.
write_if_changed() {
    local file=$1 content
    content=$(cat)
    if [[ -f $file && $(<"$file") == "$content" ]]; then
        return 1
    fi
    printf '%s\n' "$content" >"$file"
    chown rabbitmq:rabbitmq "$file"
    chmod 0644 "$file"
}

# A development CA and a server certificate for localhost/127.0.0.1, signed by it, made once (10 years). The CA's
# certificate ($RABBIT_TLS/ca.pem) is what a client given RabbitMq__TlsCaCertificate trusts. Returns 0 when it made them.
write_rabbit_tls() {
    [[ -s $RABBIT_TLS/ca.pem && -s $RABBIT_TLS/server.pem && -s $RABBIT_TLS/server.key ]] && return 1
    log "RabbitMQ: making a development CA and a certificate for localhost in $RABBIT_TLS"
    mkdir -p "$RABBIT_TLS"
    local work
    work=$(mktemp -d)
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=SynchroMesh development CA" \
        -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null || die "openssl could not make the development CA"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null ||
        die "openssl could not make the server key"
    printf 'subjectAltName = DNS:localhost, IP:127.0.0.1\nextendedKeyUsage = serverAuth\n' >"$work/server.ext"
    openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 3650 \
        -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null || die "openssl could not sign the server certificate"
    install -o rabbitmq -g rabbitmq -m 0644 "$work/ca.pem" "$work/server.pem" "$RABBIT_TLS/"
    install -o rabbitmq -g rabbitmq -m 0600 "$work/server.key" "$RABBIT_TLS/"
    rm -rf "$work"
}

# Returns 0 when a configuration file changed (a running node must restart to pick it up).
write_rabbit_config() {
    local changed=1
    mkdir -p "$RABBIT_ETC"
    write_rabbit_tls && changed=0
    write_if_changed "$RABBIT_ETC/rabbitmq-env.conf" <<EOF && changed=0
# Written by deploy/servers.sh (SynchroMesh development servers); local edits are overwritten.
NODENAME=$RABBIT_NODE
# epmd, the node's distribution port (25672) and the CLI tools' own ports stay on loopback.
ERL_EPMD_ADDRESS=$HOST
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
    write_if_changed "$RABBIT_ETC/rabbitmq.conf" <<EOF && changed=0
# Written by deploy/servers.sh (SynchroMesh development servers); local edits are overwritten.
listeners.tcp.default = $HOST:$AMQP_PORT
listeners.ssl.default = $HOST:$AMQPS_PORT
ssl_options.cacertfile = $RABBIT_TLS/ca.pem
ssl_options.certfile = $RABBIT_TLS/server.pem
ssl_options.keyfile = $RABBIT_TLS/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
management.tcp.ip = $HOST
management.tcp.port = $MANAGEMENT_PORT
EOF
    if [[ ! -s $RABBIT_ETC/enabled_plugins ]]; then
        write_if_changed "$RABBIT_ETC/enabled_plugins" <<<'[rabbitmq_management].' && changed=0
    elif ! grep -q 'rabbitmq_management\b' "$RABBIT_ETC/enabled_plugins"; then
        rabbit_cli rabbitmq-plugins -q enable --offline rabbitmq_management >/dev/null
        changed=0
    fi
    return $changed
}

# curl against the management API as the development user, password kept off the command line.
rabbit_api() {
    local path=$1 user=${RABBIT_USER//\\/\\\\} password=${RABBIT_PASSWORD//\\/\\\\}
    printf 'user = "%s:%s"\n' "${user//\"/\\\"}" "${password//\"/\\\"}" |
        curl -fsS -m 5 -K - "http://$HOST:$MANAGEMENT_PORT/api/$path"
}

. "$(dirname "${BASH_SOURCE[0]}")/lib/urlencode.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib/rabbit-cluster.sh"

# True when the node serves AMQP and the management API, and the development user logs in as an
# administrator and impersonator with full permissions on "/". Only curl: the Erlang CLI takes seconds per call.
rabbit_in_place() {
    port_open "$HOST" "$AMQP_PORT" || return 1
    local user permissions
    user=$(rabbit_api "users/$(urlencode "$RABBIT_USER")" 2>/dev/null) || return 1
    [[ $user == *administrator* && $user == *impersonator* ]] || return 1
    permissions=$(rabbit_api "permissions/%2F/$(urlencode "$RABBIT_USER")" 2>/dev/null) || return 1
    [[ $permissions == *'"configure":".*"'* && $permissions == *'"write":".*"'* && $permissions == *'"read":".*"'* ]]
}

# An epmd started before this script wrote rabbitmq-env.conf (for example by the package or an
# earlier rabbitmqctl call) keeps listening on every interface until it is restarted.
warn_if_epmd_public() {
    local listeners
    listeners=$(awk -v port=":$(printf '%04X' "$EPMD_PORT")" '$4 == "0A" && $2 ~ port"$" { print $2 }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null) || return 0
    # 127.0.0.1 in /proc/net/tcp, ::1 in /proc/net/tcp6: both are loopback.
    if grep -qvE '^(0100007F|00000000000000000000000001000000):' <<<"$listeners"; then
        warn "epmd already listens on all interfaces (port $EPMD_PORT); to bind it to $HOST, stop RabbitMQ, run 'epmd -kill', then start again"
    fi
}

start_rabbit() {
    local config_changed=false
    write_rabbit_config && config_changed=true

    if ! $config_changed && rabbit_in_place; then
        log "RabbitMQ ready on $HOST:$AMQP_PORT, management http://$HOST:$MANAGEMENT_PORT (user $RABBIT_USER)"
        return 0
    fi

    if $config_changed && rabbit_process; then
        log "RabbitMQ configuration changed; restarting"
        stop_rabbit
    fi
    if ! rabbit_process; then
        port_closed "$HOST" "$AMQP_PORT" ||
            die "$HOST:$AMQP_PORT is taken by a process that is not RabbitMQ node $RABBIT_NODE (another node name? see 'epmd -names')"
        warn_if_epmd_public
        log "starting RabbitMQ ($RABBIT_NODE)"
        mkdir -p "$RABBIT_LOG_DIR" && chown rabbitmq:rabbitmq "$RABBIT_LOG_DIR"
        (cd "$RABBIT_HOME" && HOME=$RABBIT_HOME runuser -u rabbitmq -- sh -c "$RAISED_FILE_LIMIT" /usr/lib/rabbitmq/bin/rabbitmq-server -detached \
            </dev/null >>"$RABBIT_LOG_DIR/startup_log" 2>>"$RABBIT_LOG_DIR/startup_err" 9>&-) ||
            die "rabbitmq-server -detached failed; see $RABBIT_LOG_DIR/startup_err"
    fi

    local started=$SECONDS deadline=$((SECONDS + TIMEOUT))
    until rabbit_listening; do
        # -detached returns before the VM shows up, so only a VM missing after a while means a failed boot.
        ((SECONDS - started < 10)) || rabbit_process || die "RabbitMQ exited while starting; see $RABBIT_LOG_DIR/ ($RABBIT_NODE.log, startup_err)"
        ((SECONDS < deadline)) ||
            die "RabbitMQ did not open $HOST:$AMQP_PORT, $HOST:$AMQPS_PORT and $HOST:$MANAGEMENT_PORT within ${TIMEOUT}s; see $RABBIT_LOG_DIR/$RABBIT_NODE.log"
        sleep 1
    done
    log "RabbitMQ accepts connections on $HOST:$AMQP_PORT, $HOST:$AMQPS_PORT (TLS) and $HOST:$MANAGEMENT_PORT (waited $((SECONDS - started))s)"

    if ! rabbit_in_place; then
        configure_rabbit
        rabbit_in_place || die "RabbitMQ user $RABBIT_USER cannot use the management API at http://$HOST:$MANAGEMENT_PORT"
    fi
    log "RabbitMQ ready on $HOST:$AMQP_PORT, management http://$HOST:$MANAGEMENT_PORT (user $RABBIT_USER)"
}

configure_rabbit() {
    # impersonator: the head office runs as this user here, and moving a branch's message to an error queue
    # publishes it again with the branch's validated user-id (see docs/security.md, "Branch identity and least privilege").
    log "RabbitMQ: ensuring user $RABBIT_USER (administrator, impersonator, full permissions on /)"
    if rabbit_cli rabbitmqctl -q list_users --no-table-headers | awk -F'\t' '{ print $1 }' | grep -qxF -- "$RABBIT_USER"; then
        rabbit_cli rabbitmqctl -q change_password "$RABBIT_USER" "$RABBIT_PASSWORD" >/dev/null
    else
        rabbit_cli rabbitmqctl -q add_user "$RABBIT_USER" "$RABBIT_PASSWORD" >/dev/null
    fi
    rabbit_cli rabbitmqctl -q set_user_tags "$RABBIT_USER" administrator impersonator >/dev/null
    rabbit_cli rabbitmqctl -q set_permissions -p / "$RABBIT_USER" '.*' '.*' '.*' >/dev/null
}

stop_rabbit() {
    if rabbit_process; then
        # SIGTERM is a graceful stop (see stop_node), without the seconds rabbitmqctl takes to boot under load.
        log "stopping RabbitMQ ($RABBIT_NODE)"
        pkill -TERM -u rabbitmq -x beam.smp || true
    fi
    wait_until "RabbitMQ stopped" rabbit_gone ||
        die "something still listens on $HOST:$AMQP_PORT after ${TIMEOUT}s"
}

# kill -9 for the fault tests: no shutdown, no flush, as a crash or a power cut would leave it.
kill_rabbit() {
    log "killing RabbitMQ (SIGKILL)"
    pkill -KILL -u rabbitmq -x beam.smp || true
    wait_until "RabbitMQ killed" rabbit_gone ||
        die "something still listens on $HOST:$AMQP_PORT after ${TIMEOUT}s"
}

no_postgres_process() { ! pgrep -u postgres -x postgres >/dev/null; }

kill_postgres() {
    log "killing PostgreSQL (SIGKILL, postmaster first, then every backend)"
    if find_cluster; then
        local pid_file="/var/lib/postgresql/$PG_VERSION/$PG_CLUSTER/postmaster.pid"
        # The postmaster first, so that it cannot start a crash recovery of its own meanwhile.
        [[ -r $pid_file ]] && kill -KILL "$(head -n 1 "$pid_file")" 2>/dev/null || true
    fi
    pkill -KILL -u postgres -x postgres || true
    wait_until "PostgreSQL killed" no_postgres_process ||
        die "postgres processes still run after ${TIMEOUT}s"
}

# --- commands ----------------------------------------------------------------------------------

status() {
    local code=0
    if command -v pg_lsclusters >/dev/null && pg_online && pg_ready; then
        log "postgresql: running ($PG_VERSION/$PG_CLUSTER on $HOST:$PG_PORT)"
    else
        log "postgresql: stopped"
        code=3
    fi
    if [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] && rabbit_running; then
        log "rabbitmq: running ($RABBIT_NODE, amqp $HOST:$AMQP_PORT, management http://$HOST:$MANAGEMENT_PORT)"
    else
        log "rabbitmq: stopped"
        code=3
    fi
    return $code
}

usage() {
    echo "usage: $0 [start|stop|status|start-postgres|stop-postgres|kill-postgres|start-rabbit|stop-rabbit|kill-rabbit]" >&2
    echo "       $0 wal-level minimal|replica|logical" >&2
    echo "       $0 [start-cluster|stop-cluster|cluster-status|start-node N|stop-node N|kill-node N|cut-node N|heal-node N]" >&2
    echo "       $0 install-browser" >&2
    exit 2
}

main() {
    local command=${1:-start}
    case $command in
        start | stop | status | start-postgres | stop-postgres | kill-postgres | start-rabbit | stop-rabbit | kill-rabbit) ;;
        start-cluster | stop-cluster | cluster-status | install-browser) ;;
        start-node | stop-node | kill-node | cut-node | heal-node | wal-level) (($# == 2)) || usage ;;
        -h | --help | help) usage ;;
        *) usage ;;
    esac
    ((EUID == 0)) || die "run as root (it installs packages and starts the servers as their own users)"

    # One invocation at a time; the daemons must not inherit the lock (fd 9), or it would never be released.
    local lock_dir=/run/lock
    [[ -d $lock_dir ]] || lock_dir=/tmp
    exec 9>"$lock_dir/synchromesh-servers.lock"
    flock -w "$TIMEOUT" 9 || die "another deploy/servers.sh is still running"

    case $command in
        start)
            install_missing_packages
            start_postgres
            start_rabbit
            ;;
        start-postgres) install_missing_packages; start_postgres ;;
        start-rabbit) install_missing_packages; start_rabbit ;;
        stop) stop_rabbit; stop_postgres ;;
        stop-postgres) stop_postgres ;;
        stop-rabbit) stop_rabbit ;;
        kill-rabbit) kill_rabbit ;;
        kill-postgres) kill_postgres ;;
        status) status ;;
        start-cluster) install_missing_packages; start_cluster ;;
        stop-cluster) stop_cluster ;;
        cluster-status) cluster_status ;;
        install-browser) install_browser ;;
        start-node) start_node "$2" ;;
        stop-node) stop_node "$2" ;;
        kill-node) kill_node "$2" ;;
        cut-node) cut_node "$2" ;;
        heal-node) heal_node "$2" ;;
        wal-level) find_cluster || die "no PostgreSQL cluster (bash deploy/servers.sh start)"; set_wal_level "$2" ;;
    esac
}

main "$@"
