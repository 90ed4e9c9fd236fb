# Starting and stopping the platform's processes; shared by run-local and e2e. Source after lib.sh.

PLATFORM_PIDS=()
declare -A PLATFORM_PID_OF=()

# start_instance NAME PORT [VAR=value ...]: starts one process, its output prefixed with "[name:port]", or written
# unprefixed to $PLATFORM_LOG_DIR/name-port.log when that is set (benchmarks: no extra process in the log path).
start_instance() {
    local name="$1" port="$2"; shift 2
    local label="$name:$port"
    if [ -n "${PLATFORM_LOG_DIR:-}" ]; then
        mkdir -p "$PLATFORM_LOG_DIR"
        setsid env "$@" PORT="$port" INSTANCE_ID="$name-$port" "$BIN/$name" >"$PLATFORM_LOG_DIR/$name-$port.log" 2>&1 &
    else
        # Each service runs in its own session, so Ctrl-C reaches only this script, which then stops them in order;
        # the prefixer ignores Ctrl-C so that it prints the service's last lines and ends when the service does.
        setsid env "$@" PORT="$port" INSTANCE_ID="$name-$port" "$BIN/$name" > >(trap '' INT TERM; exec sed -u "s/^/[$label] /") 2>&1 &
    fi
    local pid=$!
    PLATFORM_PIDS+=("$pid")
    PLATFORM_PID_OF[$label]=$pid
}

# Stops every process started here, newest first, so services deregister before the registry stops: SIGTERM,
# then up to five seconds for a graceful shutdown, then SIGKILL.
stop_platform() {
    local pid index
    for ((index = ${#PLATFORM_PIDS[@]} - 1; index >= 0; index--)); do
        pid="${PLATFORM_PIDS[$index]}"
        [ "$index" -eq 0 ] && sleep 0.5   # the registry (started first) goes last
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PLATFORM_PIDS[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    PLATFORM_PIDS=()
}
