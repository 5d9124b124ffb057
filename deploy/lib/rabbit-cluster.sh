# A three-node RabbitMQ cluster beside the single development node, for the specs and soaks that break a cluster.
# Sourced by deploy/servers.sh (its log, die, wait_until, port_open, RAISED_FILE_LIMIT, write_if_changed and urlencode).
#
# Node N (1 to 3) is rabbit-nN@localhost: AMQP on 127.0.0.1:570N, management on 127.0.0.1:1570N, Erlang
# distribution on 127.0.0.1:2570N. Each node runs as an OS user of its own (rabbitmq-nN, sharing one Erlang cookie):
# that is what lets cut-node drop one node's distribution traffic with an iptables owner match while its clients
# keep reaching its AMQP port, as a network partition between brokers would.

readonly CLUSTER_SIZE=3
readonly CLUSTER_ETC=/etc/rabbitmq-cluster
readonly CLUSTER_HOME=/var/lib/rabbitmq-cluster
readonly CLUSTER_LOGS=/var/log/rabbitmq-cluster
# How long a node waits for a silent peer before it counts it as gone (Erlang's default is 60 s): a cut node is
# noticed in about this time, a little more than the longest pause a loaded machine gives a healthy peer.
readonly CLUSTER_NET_TICKTIME=15

node_name() { echo "rabbit-n$1@localhost"; }
node_user() { echo "rabbitmq-n$1"; }
node_amqp_port() { echo $((5700 + $1)); }
node_management_port() { echo $((15700 + $1)); }
node_dist_port() { echo $((25700 + $1)); }
node_numbers() { seq 1 "$CLUSTER_SIZE"; }

check_node_number() {
    [[ $1 =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= CLUSTER_SIZE)) || die "a node number is 1 to $CLUSTER_SIZE, not '$1'"
}

# RabbitMQ's CLI tools against node N, as its user (its cookie) with its environment file.
node_cli() {
    local n=$1 tool=$2; shift 2
    (cd "$CLUSTER_HOME/n$n" && HOME=$CLUSTER_HOME/n$n RABBITMQ_CONF_ENV_FILE=$CLUSTER_ETC/n$n/rabbitmq-env.conf \
        runuser -u "$(node_user "$n")" -- "/usr/lib/rabbitmq/bin/$tool" -n "$(node_name "$n")" "$@" </dev/null 9>&-)
}

# The node's Erlang VM exists (booting, running or stopping); zombies do not count.
node_process() { ps -u "$(node_user "$1")" -o stat=,comm= 2>/dev/null | awk '$1 !~ /^Z/ && $2 == "beam.smp" { found = 1 } END { exit !found }'; }
node_listening() { port_open "$HOST" "$(node_amqp_port "$1")" && port_open "$HOST" "$(node_management_port "$1")"; }
node_gone() { ! node_process "$1" && ! port_open "$HOST" "$(node_amqp_port "$1")"; }

# curl against node N's management API as the development user.
node_api() {
    local n=$1 path=$2 user=${RABBIT_USER//\\/\\\\} password=${RABBIT_PASSWORD//\\/\\\\}
    printf 'user = "%s:%s"\n' "${user//\"/\\\"}" "${password//\"/\\\"}" |
        curl -fsS -m 5 -K - "http://$HOST:$(node_management_port "$n")/api/$path"
}

# Every node of the cluster is running and clustered, as node N's management API sees it.
cluster_formed() {
    local nodes
    nodes=$(node_api "$1" 'nodes?columns=name,running' 2>/dev/null) || return 1
    (($(grep -o '"running":true' <<<"$nodes" | wc -l) == CLUSTER_SIZE))
}

ensure_cluster_accounts() {
    getent group rabbitmq >/dev/null || die "no rabbitmq group: install rabbitmq-server first"
    mkdir -p "$CLUSTER_HOME" "$CLUSTER_LOGS" "$CLUSTER_ETC"
    if [[ ! -s $CLUSTER_HOME/.erlang.cookie ]]; then
        (umask 077 && head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$CLUSTER_HOME/.erlang.cookie")
    fi
    local n user
    for n in $(node_numbers); do
        user=$(node_user "$n")
        if ! getent passwd "$user" >/dev/null; then
            log "RabbitMQ cluster: adding OS user $user"
            useradd --system --gid rabbitmq --home-dir "$CLUSTER_HOME/n$n" --no-create-home --shell /usr/sbin/nologin "$user"
        fi
        mkdir -p "$CLUSTER_HOME/n$n" "$CLUSTER_LOGS/n$n" "$CLUSTER_ETC/n$n"
        install -o "$user" -g rabbitmq -m 0400 "$CLUSTER_HOME/.erlang.cookie" "$CLUSTER_HOME/n$n/.erlang.cookie"
        chown "$user:rabbitmq" "$CLUSTER_HOME/n$n" "$CLUSTER_LOGS/n$n"
    done
}

# Returns 0 when a node's configuration changed.
write_node_config() {
    local n=$1 changed=1 etc=$CLUSTER_ETC/n$1 peers='' p
    for p in $(node_numbers); do
        peers+="cluster_formation.classic_config.nodes.$p = $(node_name "$p")"$'\n'
    done
    write_if_changed "$etc/rabbitmq-env.conf" <<EOF && changed=0
# Written by deploy/servers.sh (SynchroMesh development cluster); local edits are overwritten.
NODENAME=$(node_name "$n")
NODE_IP_ADDRESS=$HOST
NODE_PORT=$(node_amqp_port "$n")
DIST_PORT=$(node_dist_port "$n")
CONFIG_FILE=$etc/rabbitmq.conf
ENABLED_PLUGINS_FILE=$etc/enabled_plugins
MNESIA_BASE=$CLUSTER_HOME/n$n/mnesia
LOG_BASE=$CLUSTER_LOGS/n$n
PID_FILE=$CLUSTER_HOME/n$n/rabbit.pid
ERL_EPMD_ADDRESS=$HOST
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} -kernel net_ticktime $CLUSTER_NET_TICKTIME"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
    write_if_changed "$etc/rabbitmq.conf" <<EOF && changed=0
# Written by deploy/servers.sh (SynchroMesh development cluster); local edits are overwritten.
listeners.tcp.default = $HOST:$(node_amqp_port "$n")
management.tcp.ip = $HOST
management.tcp.port = $(node_management_port "$n")
cluster_formation.peer_discovery_backend = classic_config
${peers}# A node that can see fewer than half of the cluster stops serving, so its clients move to the majority's nodes
# instead of writing into a side that will be overruled when the partition heals.
cluster_partition_handling = pause_minority
EOF
    write_if_changed "$etc/enabled_plugins" <<<'[rabbitmq_management].' && changed=0
    chown -R "$(node_user "$n"):rabbitmq" "$etc"
    return $changed
}

start_node_process() {
    local n=$1
    log "starting RabbitMQ cluster node $(node_name "$n")"
    (cd "$CLUSTER_HOME/n$n" && HOME=$CLUSTER_HOME/n$n RABBITMQ_CONF_ENV_FILE=$CLUSTER_ETC/n$n/rabbitmq-env.conf \
        runuser -u "$(node_user "$n")" -- sh -c "$RAISED_FILE_LIMIT" /usr/lib/rabbitmq/bin/rabbitmq-server -detached \
        </dev/null >>"$CLUSTER_LOGS/n$n/startup_log" 2>>"$CLUSTER_LOGS/n$n/startup_err" 9>&-) ||
        die "rabbitmq-server -detached failed for $(node_name "$n"); see $CLUSTER_LOGS/n$n/startup_err"
}

wait_for_node() {
    local n=$1
    wait_until "RabbitMQ cluster node $(node_name "$n") listens on $HOST:$(node_amqp_port "$n")" node_listening "$n" ||
        die "$(node_name "$n") did not open $HOST:$(node_amqp_port "$n") and $HOST:$(node_management_port "$n") within ${TIMEOUT}s; see $CLUSTER_LOGS/n$n/"
}

start_node() {
    local n=$1
    check_node_number "$n"
    ensure_cluster_accounts
    if write_node_config "$n" && node_process "$n"; then
        log "$(node_name "$n"): configuration changed; restarting"
        stop_node "$n"
    fi
    node_process "$n" || start_node_process "$n"
    wait_for_node "$n"
}

start_cluster() {
    ensure_cluster_accounts
    local n
    for n in $(node_numbers); do
        # A node left stopped by a signal (SIGSTOP) counts as running but answers nothing: it is let go on.
        if ps -u "$(node_user "$n")" -o stat=,comm= 2>/dev/null | awk '$1 ~ /^T/ && $2 == "beam.smp" { found = 1 } END { exit !found }'; then
            log "$(node_name "$n") was stopped by a signal; continuing it"
            pkill -CONT -u "$(node_user "$n")" -x beam.smp || true
        fi
    done
    for n in $(node_numbers); do
        if write_node_config "$n" && node_process "$n"; then
            log "$(node_name "$n"): configuration changed; restarting"
            stop_node "$n"
        fi
    done
    # On a first boot node 1 starts alone: the others then find it and join it (classic peer discovery), where nodes
    # booting for the first time all at once could each form a cluster of their own. A cluster that has run before
    # starts all at once: after a crash or a power cut each node waits at boot for the peers it last saw running, so
    # a node started alone never opens its ports.
    if [[ ! -d $CLUSTER_HOME/n1/mnesia/$(node_name 1) ]]; then
        node_process 1 || start_node_process 1
        wait_for_node 1
    fi
    for n in $(node_numbers); do
        node_process "$n" || start_node_process "$n"
    done
    for n in $(node_numbers); do
        wait_for_node "$n"
    done
    configure_cluster_user
    wait_until "RabbitMQ cluster formed: $CLUSTER_SIZE nodes running" cluster_formed 1 ||
        die "the cluster did not form within ${TIMEOUT}s; see $CLUSTER_LOGS/"
    log "RabbitMQ cluster ready: AMQP $HOST:$(node_amqp_port 1),$(node_amqp_port 2),$(node_amqp_port 3); management http://$HOST:$(node_management_port 1) (user $RABBIT_USER)"
}

# The development user, cluster-wide (users live in the cluster's shared schema).
configure_cluster_user() {
    if node_api 1 "users/$(urlencode "$RABBIT_USER")" 2>/dev/null | grep -q impersonator; then
        return 0
    fi
    log "RabbitMQ cluster: ensuring user $RABBIT_USER (administrator, impersonator, full permissions on /)"
    if ! node_cli 1 rabbitmqctl -q add_user "$RABBIT_USER" "$RABBIT_PASSWORD" >/dev/null 2>&1; then
        node_cli 1 rabbitmqctl -q change_password "$RABBIT_USER" "$RABBIT_PASSWORD" >/dev/null
    fi
    node_cli 1 rabbitmqctl -q set_user_tags "$RABBIT_USER" administrator impersonator >/dev/null
    node_cli 1 rabbitmqctl -q set_permissions -p / "$RABBIT_USER" '.*' '.*' '.*' >/dev/null
}

stop_node() {
    local n=$1
    check_node_number "$n"
    if node_process "$n"; then
        # SIGTERM is a graceful stop, as a container runtime asks for one. rabbitmqctl would do the same, but it boots an
        # Erlang VM of its own first, which takes tens of seconds on a machine loaded by the specs.
        log "stopping RabbitMQ cluster node $(node_name "$n")"
        # A node stopped by a signal (SIGSTOP) takes no other signal until it is continued.
        pkill -CONT -u "$(node_user "$n")" -x beam.smp || true
        pkill -TERM -u "$(node_user "$n")" -x beam.smp || true
    fi
    wait_until "$(node_name "$n") stopped" node_gone "$n" || die "$(node_name "$n") still runs after ${TIMEOUT}s"
}

stop_cluster() {
    local n
    for n in $(node_numbers); do
        heal_node "$n" quiet
    done
    # The last node down is the one that knows the newest membership; stopping in reverse order keeps node 1 last.
    for n in $(node_numbers | sort -rn); do
        stop_node "$n"
    done
}

# kill -9 of one node: no shutdown, no flush, as a crash or a power cut would leave it.
kill_node() {
    local n=$1
    check_node_number "$n"
    log "killing RabbitMQ cluster node $(node_name "$n") (SIGKILL)"
    pkill -KILL -u "$(node_user "$n")" -x beam.smp || true
    wait_until "$(node_name "$n") killed" node_gone "$n" || die "$(node_name "$n") still runs after ${TIMEOUT}s"
}

# The rule that drops every packet node N's VM sends on the cluster's distribution ports: its links to the other
# nodes go silent both ways, while its AMQP and management ports still answer.
cut_rule() {
    local ports
    ports=$(node_numbers | while read -r p; do node_dist_port "$p"; done | paste -sd,)
    echo "OUTPUT -o lo -p tcp -m owner --uid-owner $(node_user "$1") -m multiport --ports $ports -j DROP"
}

cut_node() {
    check_node_number "$1"
    command -v iptables >/dev/null || die "cut-node needs iptables"
    # shellcheck disable=SC2046 # the rule is words by design
    if ! iptables -w -C $(cut_rule "$1") 2>/dev/null; then
        iptables -w -A $(cut_rule "$1") || die "iptables refused the rule that cuts $(node_name "$1")"
    fi
    log "$(node_name "$1") cut off from the other nodes (its AMQP port still open)"
}

heal_node() {
    check_node_number "$1"
    command -v iptables >/dev/null || return 0
    # shellcheck disable=SC2046
    while iptables -w -C $(cut_rule "$1") 2>/dev/null; do
        iptables -w -D $(cut_rule "$1")
    done
    [[ ${2:-} == quiet ]] || log "$(node_name "$1") reconnected to the other nodes"
}

cluster_status() {
    local n code=0
    for n in $(node_numbers); do
        if node_process "$n" && node_listening "$n"; then
            log "rabbitmq cluster: $(node_name "$n") running (amqp $HOST:$(node_amqp_port "$n"), management http://$HOST:$(node_management_port "$n"))"
        else
            log "rabbitmq cluster: $(node_name "$n") stopped"
            code=3
        fi
    done
    return $code
}
