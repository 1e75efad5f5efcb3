#!/usr/bin/env bash
# Start/stop throw-away Redis servers for sessionguard's real-Redis tests.
#
#   scripts/redis-test-servers.sh start DIR   # standalone + 3-master cluster
#   scripts/redis-test-servers.sh stop DIR    # stop everything started in DIR
#
# DIR holds the pid files, configs/data and logs; it is created if missing.
# Nothing is persisted (no RDB, no AOF).  Ports can be overridden:
#
#   STANDALONE_PORT   default 7379
#   CLUSTER_PORTS     default "7380 7381 7382" (spaces or commas, >= 3 ports;
#                     each node also uses its cluster bus port, port+10000)
#
# After a successful start the script prints the environment variables the
# tests read, e.g.:
#
#   eval "$(scripts/redis-test-servers.sh start /tmp/sg-redis)"
#   go test -race -count=1 ./...
#   scripts/redis-test-servers.sh stop /tmp/sg-redis
#
# Progress messages go to stderr; only the export lines go to stdout.
set -euo pipefail

STANDALONE_PORT="${STANDALONE_PORT:-7379}"
CLUSTER_PORTS="${CLUSTER_PORTS:-7380 7381 7382}"
HOST=127.0.0.1
WAIT_SECONDS="${REDIS_WAIT_SECONDS:-20}"

log() { printf '%s\n' "redis-test-servers: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
	cat >&2 <<USAGE
usage: $0 start DIR | stop DIR
  env: STANDALONE_PORT (default 7379), CLUSTER_PORTS (default "7380 7381 7382")
USAGE
	exit 2
}

# port_in_use PORT: true if something accepts TCP connections on HOST:PORT.
port_in_use() {
	(exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

check_port_number() {
	if ! [[ "$1" =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > 55535)); then
		die "invalid port '$1' (must be 1..55535 so that the cluster bus port+10000 is valid)"
	fi
}

# is_our_redis PID: the pid is alive and is a redis-server. A zombie
# counts as gone: daemonized servers are reparented to PID 1, which in
# some containers never reaps them.
is_our_redis() {
	local pid=$1 comm state
	kill -0 "$pid" 2>/dev/null || return 1
	if [[ -r /proc/$pid/stat ]]; then
		comm=$(<"/proc/$pid/comm") || return 1
		state=$(<"/proc/$pid/stat") || return 1
		state=${state##*) }
		state=${state%% *}
	else
		comm=$(ps -o comm= -p "$pid" 2>/dev/null || true)
		state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
	fi
	[[ "$comm" == *redis-server* && "$state" != Z* ]]
}

wait_ping() {
	local port=$1 i
	for ((i = 0; i < WAIT_SECONDS * 5; i++)); do
		if [[ "$(redis-cli -h "$HOST" -p "$port" ping 2>/dev/null || true)" == PONG ]]; then
			return 0
		fi
		sleep 0.2
	done
	return 1
}

wait_cluster_ok() {
	local port=$1 i info
	for ((i = 0; i < WAIT_SECONDS * 5; i++)); do
		# Capture first: "| grep -q" under pipefail can fail via SIGPIPE.
		info=$(redis-cli -h "$HOST" -p "$port" cluster info 2>/dev/null || true)
		if [[ "${info//$'\r'/}" == *$'cluster_state:ok'* ]]; then
			return 0
		fi
		sleep 0.2
	done
	return 1
}

# launch PORT [extra redis-server args...]
launch() {
	local port=$1
	shift
	local data="$DIR/data-$port"
	mkdir -p "$data"
	rm -f "$DIR/redis-$port.log"
	log "starting redis-server on $HOST:$port (log: $DIR/redis-$port.log)"
	if ! redis-server \
		--bind "$HOST" \
		--port "$port" \
		--daemonize yes \
		--pidfile "$DIR/redis-$port.pid" \
		--dir "$data" \
		--logfile "$DIR/redis-$port.log" \
		--save '' \
		--appendonly no \
		"$@"; then
		die "redis-server on port $port failed to start (see $DIR/redis-$port.log)"
	fi
	if ! wait_ping "$port"; then
		tail -n 20 "$DIR/redis-$port.log" >&2 2>/dev/null || true
		die "redis-server on port $port did not answer PING within ${WAIT_SECONDS}s"
	fi
	# Make sure the server answering is the one we just started.
	local pid="" served="" i
	for ((i = 0; i < WAIT_SECONDS * 5; i++)); do
		[[ -s "$DIR/redis-$port.pid" ]] && pid=$(<"$DIR/redis-$port.pid")
		served=$(redis-cli -h "$HOST" -p "$port" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p' || true)
		[[ -n "$pid" && "$pid" == "$served" ]] && break
		sleep 0.2
	done
	if [[ -z "$pid" || "$pid" != "$served" ]]; then
		tail -n 20 "$DIR/redis-$port.log" >&2 2>/dev/null || true
		die "port $port is served by pid '${served}', not by our redis-server (pid '${pid}')"
	fi
	# Remember the pid under a name redis-server does not delete on shutdown,
	# so that stop can wait for the process to actually exit.
	echo "$pid" >"$DIR/started-$port.pid"
}

cmd_start() {
	command -v redis-server >/dev/null || die "redis-server not found (Debian/Ubuntu: apt-get install redis-server)"
	command -v redis-cli >/dev/null || die "redis-cli not found (Debian/Ubuntu: apt-get install redis-tools)"

	local -a cports
	read -r -a cports <<<"${CLUSTER_PORTS//,/ }"
	((${#cports[@]} >= 3)) || die "CLUSTER_PORTS needs at least 3 ports, got '${CLUSTER_PORTS}'"

	local p f
	check_port_number "$STANDALONE_PORT"
	for p in "${cports[@]}"; do check_port_number "$p"; done

	mkdir -p "$DIR"
	DIR=$(cd "$DIR" && pwd)

	# Refuse to start twice into the same DIR.
	for f in "$DIR"/started-*.pid; do
		[[ -e "$f" ]] || continue
		if is_our_redis "$(<"$f")"; then
			die "servers from an earlier start are still running in $DIR; run: $0 stop $DIR"
		fi
		rm -f "$f"
	done

	# Check every port (and cluster bus port) before starting anything.
	local busy=()
	port_in_use "$STANDALONE_PORT" && busy+=("$STANDALONE_PORT")
	for p in "${cports[@]}"; do
		port_in_use "$p" && busy+=("$p")
		port_in_use "$((p + 10000))" && busy+=("$((p + 10000)) (cluster bus of $p)")
	done
	if ((${#busy[@]})); then
		die "port(s) already in use on $HOST: ${busy[*]}. Stop whatever listens there, or choose other ports with STANDALONE_PORT / CLUSTER_PORTS."
	fi

	# From here on, undo a partial start if anything fails.
	trap 'rc=$?; if ((rc != 0)); then log "start failed; stopping what was started"; cmd_stop || true; fi' EXIT

	launch "$STANDALONE_PORT"

	local nodes=()
	for p in "${cports[@]}"; do
		rm -f "$DIR/nodes-$p.conf"
		launch "$p" \
			--cluster-enabled yes \
			--cluster-config-file "$DIR/nodes-$p.conf" \
			--cluster-node-timeout 5000
		nodes+=("$HOST:$p")
	done

	log "creating cluster: ${nodes[*]}"
	if ! redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes \
		</dev/null >"$DIR/cluster-create.log" 2>&1; then
		cat "$DIR/cluster-create.log" >&2
		die "redis-cli --cluster create failed"
	fi

	for p in "${cports[@]}"; do
		if ! wait_cluster_ok "$p"; then
			redis-cli -h "$HOST" -p "$p" cluster info >&2 || true
			die "cluster node $HOST:$p did not reach cluster_state:ok within ${WAIT_SECONDS}s"
		fi
	done
	log "standalone on $HOST:$STANDALONE_PORT and cluster on ${nodes[*]} are ready"

	trap - EXIT
	local IFS=,
	printf 'export SESSIONGUARD_TEST_REDIS=%s\n' "$HOST:$STANDALONE_PORT"
	printf 'export SESSIONGUARD_TEST_REDIS_CLUSTER=%s\n' "${nodes[*]}"
}

cmd_stop() {
	[[ -d "$DIR" ]] || { log "nothing to stop: $DIR does not exist"; return 0; }
	local f pid port i rc=0
	local -a pids=()
	# started-*.pid are written by us; redis-*.pid cover a server that was
	# launched but never answered PING.
	for f in "$DIR"/started-*.pid "$DIR"/redis-*.pid; do
		[[ -e "$f" ]] || continue
		pid=$(<"$f") || continue
		[[ "$pid" =~ ^[0-9]+$ ]] || continue
		if is_our_redis "$pid" && [[ " ${pids[*]} " != *" $pid "* ]]; then
			port=${f##*-}
			port=${port%.pid}
			log "stopping redis-server pid $pid (port $port)"
			kill -TERM "$pid" 2>/dev/null || true
			pids+=("$pid")
		fi
	done
	for pid in "${pids[@]}"; do
		for ((i = 0; i < 50; i++)); do
			is_our_redis "$pid" || break
			sleep 0.2
		done
		if is_our_redis "$pid"; then
			log "pid $pid did not exit after SIGTERM; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			sleep 0.2
			is_our_redis "$pid" && { log "ERROR: could not stop pid $pid"; rc=1; }
		fi
	done
	rm -f "$DIR"/started-*.pid "$DIR"/redis-*.pid
	((${#pids[@]})) || log "no running redis-server found in $DIR"
	return "$rc"
}

[[ $# -eq 2 ]] || usage
DIR=$2
[[ -n "$DIR" ]] || usage
case "$1" in
start) cmd_start ;;
stop) cmd_stop ;;
*) usage ;;
esac
