# Helpers shared by the scripts; source it, do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES=(portal single-window documents payments notifications console sandbox)

# Default ports, as in Shared/Contracts/Topology.swift.
declare -A PORTS=([registry]=8500 [portal]=8080 [single-window]=8081 [documents]=8082 [payments]=8083 [notifications]=8084 [console]=8085 [sandbox]=8090)

# random_secret: 32 random bytes as 64 hex digits (what the services make for themselves, Secrets.random()).
random_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }

# Installs Debian packages that are missing (names as given to apt-get). Needs root, or sudo.
ensure_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The packages every build and run needs besides the Swift toolchain.
ensure_build_packages() {
    ensure_packages libsqlite3-dev libssl-dev libcurl4-openssl-dev libpq-dev libqrencode-dev curl python3 procps
}

# Builds the given products (all when none) in the given configuration.
build_products() {
    local configuration="$1"; shift
    # The manifest is read anew each time: Package.swift lists the services' templates from the folders, and SwiftPM's
    # manifest cache would not see a template added since (the build would miss it).
    local args=(-c "$configuration" --manifest-cache none)
    if [ $# -eq 0 ]; then
        (cd "$ROOT" && swift build "${args[@]}")
    else
        for product in "$@"; do (cd "$ROOT" && swift build "${args[@]}" --product "$product"); done
    fi
}

bin_dir() { (cd "$ROOT" && swift build -c "$1" --show-bin-path); }

# Waits until a URL answers 200, or fails after the given seconds.
wait_for_url() {
    local url="$1" seconds="${2:-60}"
    for _ in $(seq 1 $((seconds * 5))); do
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "timed out waiting for $url" >&2
    return 1
}

# Starts a throwaway PostgreSQL cluster as an unprivileged user and prints its URL. PGTMP must be set.
start_throwaway_postgres() {
    local port="$1"
    ensure_packages postgresql
    local initdb
    initdb="$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)"
    local bindir; bindir="$(dirname "$initdb")"
    [ -x "$bindir/pg_ctl" ] || bindir="$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")"
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    mkdir -p "$PGTMP"
    chown "$user" "$PGTMP"
    local as=(runuser -u "$user" --)
    [ "$(id -u)" -ne 0 ] && as=()
    "${as[@]}" "$initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    "${as[@]}" "$bindir/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
        -o "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=1000" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop_throwaway_postgres() {
    [ -d "${PGTMP:-}/data" ] || return 0
    local bindir
    bindir="$(dirname "$(command -v pg_ctl 2>/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")"
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    local as=(runuser -u "$user" --)
    [ "$(id -u)" -ne 0 ] && as=()
    "${as[@]}" "$bindir/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
}

# Python tools the scripts use (aiosmtpd for the SMTP sink; the e2e's checkers; Selenium for the browser journeys), in a virtual environment kept
# under .build/ so that they install once. Prints the environment's python.
tools_python() {
    local venv="$ROOT/.build/tools-venv"
    ensure_packages python3-venv openssl >&2
    if ! [ -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import aiosmtpd, consul, openapi_spec_validator, selenium" 2>/dev/null; then
        log "installing Python tools (aiosmtpd, py-consul, openapi-spec-validator, selenium)"
        rm -rf "$venv" && python3 -m venv "$venv" && "$venv/bin/pip" install -q aiosmtpd py-consul openapi-spec-validator selenium >&2
    fi
    echo "$venv/bin/python"
}

# start_smtp_sink DIR PORT: a real SMTP server (scripts/smtp-sink.py: STARTTLS with a throwaway certificate, AUTH)
# writing what it accepts to DIR/mail. Exports the SMTP_* settings that point the notifications service at it
# (and SMTP_SINK_DIR, SMTP_SINK_PID).
start_smtp_sink() {
    local dir="$1" port="$2" python
    python="$(tools_python)"
    mkdir -p "$dir/mail"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        -keyout "$dir/smtp.key" -out "$dir/smtp.pem" 2>/dev/null
    "$python" "$ROOT/scripts/smtp-sink.py" --port "$port" --dir "$dir/mail" --cert "$dir/smtp.pem" --key "$dir/smtp.key" \
        --user motcua --password sink-password >"$dir/smtp.log" 2>&1 &
    SMTP_SINK_PID=$!
    for _ in $(seq 1 50); do grep -q ready "$dir/smtp.log" 2>/dev/null && break; sleep 0.1; done
    grep -q ready "$dir/smtp.log" || { log "the SMTP sink did not start: $(tail -3 "$dir/smtp.log")"; return 1; }
    export SMTP_URL="smtp://127.0.0.1:$port" SMTP_USERNAME=motcua SMTP_PASSWORD=sink-password SMTP_CA_FILE="$dir/smtp.pem" \
           SMTP_SINK_DIR="$dir/mail" SMTP_SINK_PID
}
