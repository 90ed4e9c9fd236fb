# Starting and stopping the platform's processes; shared by run-local and e2e. Source after lib.sh.

PLATFORM_PIDS=()
declare -A PLATFORM_PID_OF=()
declare -A REGISTRY_TOKEN_OF=()

# registry_tokens DATA_DIR: the registry's tokens, made once and kept under DATA_DIR/secrets (readable by this user
# only): "management" (REGISTRY_ACL_MANAGEMENT_TOKEN), "read" (REGISTRY_ACL_READ_TOKEN, for people and scripts that
# look) and one per service, which may register that service's name only. Fills REGISTRY_TOKEN_OF and exports
# REGISTRY_READ_TOKEN. start_instance calls it the first time; call it yourself to use a token before that.
registry_tokens() {
    local dir="$1/secrets" name
    [ "${#REGISTRY_TOKEN_OF[@]}" -gt 0 ] && return 0
    mkdir -p "$dir" && chmod 700 "$dir"
    for name in management read "${SERVICES[@]}"; do
        if ! [ -s "$dir/registry-token-$name" ]; then
            (umask 077; random_secret >"$dir/registry-token-$name")
        fi
        REGISTRY_TOKEN_OF[$name]="$(cat "$dir/registry-token-$name")"
    done
    export REGISTRY_READ_TOKEN="${REGISTRY_TOKEN_OF[read]}"
}

# The settings that turn the registry's ACLs on (for the registry) or carry a service's own token (for the others).
registry_acl_env() {
    local name="$1" service pairs=""
    if [ "$name" = registry ]; then
        for service in "${SERVICES[@]}"; do pairs+="${pairs:+,}$service=${REGISTRY_TOKEN_OF[$service]}"; done
        echo "REGISTRY_ACL_MANAGEMENT_TOKEN=${REGISTRY_TOKEN_OF[management]}"
        echo "REGISTRY_ACL_SERVICE_TOKENS=$pairs"
        echo "REGISTRY_ACL_READ_TOKEN=${REGISTRY_TOKEN_OF[read]}"
    elif [ -n "${REGISTRY_TOKEN_OF[$name]:-}" ]; then
        echo "REGISTRY_TOKEN=${REGISTRY_TOKEN_OF[$name]}"
    fi
}

# start_instance NAME PORT [VAR=value ...]: starts one process, its output prefixed with "[name:port]", or written
# unprefixed to $PLATFORM_LOG_DIR/name-port.log when that is set (benchmarks: no extra process in the log path).
start_instance() {
    local name="$1" port="$2"; shift 2
    local label="$name:$port" acl
    # The registry's ACLs are on unless REGISTRY_ACL=off (a laptop session that wants an open registry).
    if [ "${REGISTRY_ACL:-on}" = on ]; then
        registry_tokens "${DATA_DIR:?start_instance needs DATA_DIR}"
        mapfile -t acl < <(registry_acl_env "$name")
        set -- "${acl[@]}" "$@"
    fi
    # SERVICE_TLS=on: services call each other over mutual TLS on a second port (the public one + 1000), with
    # certificates of a service CA made once under DATA_DIR/service-ca.
    # The others then read the portal's token keys from its TLS listener, where its certificate must name the portal
    # (JWKS_URL over https with service TLS on): the first portal started is the one asked.
    if [ "${SERVICE_TLS:-off}" = on ] && [ "$name" != registry ]; then
        # Kept when made; one made before certificates stopped naming addresses is made again.
        "$ROOT/scripts/service-ca" "$DATA_DIR/service-ca" "$name"
        set -- SERVICE_TLS_CERT="$DATA_DIR/service-ca/$name.pem" SERVICE_TLS_KEY="$DATA_DIR/service-ca/$name.key" \
               SERVICE_TLS_CA="$DATA_DIR/service-ca/ca.pem" "$@"
        if [ "$name" = portal ]; then
            PLATFORM_PORTAL_TLS_PORT="${PLATFORM_PORTAL_TLS_PORT:-$((port + 1000))}"
        elif [ -z "${JWKS_URL:-}" ] && [ -n "${PLATFORM_PORTAL_TLS_PORT:-}" ]; then
            set -- JWKS_URL="https://127.0.0.1:$PLATFORM_PORTAL_TLS_PORT/.well-known/jwks.json" "$@"
        fi
    fi
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
