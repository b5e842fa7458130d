#!/usr/bin/env bash
# Several Flankmap replicas behind HAProxy on this machine, in the foreground.
#   deploy/run-local.sh [--tls] [REPLICAS] [PORT]  (default 2 replicas, proxy on 127.0.0.1:8600)
# --tls: the proxy terminates TLS with a self-signed certificate made for this run ($RUN_DIR/cert.pem, for
# localhost and 127.0.0.1; trust it in a client with that file), sets Secure cookies and HSTS.
# Replica i listens on 127.0.0.1:(FLANKMAP_REPLICA_BASE_PORT + i), default PORT + i, and runs
# deploy/serve.sh, the image's entry point, so it has the image's settings. Ctrl-C or SIGTERM stops
# everything. Installs HAProxy with apt-get when it is missing.
# Environment: FLANKMAP_BIND (proxy address, default 127.0.0.1), FLANKMAP_RUN_DIR (state: haproxy.cfg,
# the stats socket haproxy.sock, replicas.pids with "NAME PID PORT" lines, logs; default a temp dir).
set -euo pipefail
TLS=""
if [ "${1:-}" = "--tls" ]; then TLS=1; shift; fi
REPLICAS="${1:-2}"
PORT="${2:-8600}"
HERE="$(cd "$(dirname "$0")" && pwd)"
BASE_PORT="${FLANKMAP_REPLICA_BASE_PORT:-$PORT}"
BIND="${FLANKMAP_BIND:-127.0.0.1}"
RUN_DIR="${FLANKMAP_RUN_DIR:-$(mktemp -d -t flankmap-run.XXXXXX)}"
mkdir -p "$RUN_DIR"
if ! [[ "$REPLICAS" =~ ^[1-9][0-9]*$ && "$PORT" =~ ^[0-9]+$ ]]; then
  echo "usage: deploy/run-local.sh [--tls] [REPLICAS>=1] [PORT]" >&2
  exit 2
fi

if ! command -v haproxy >/dev/null 2>&1 && ! [ -x /usr/sbin/haproxy ]; then
  echo "run-local: installing haproxy (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
fi
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"

PIDS=()
cleanup() {
  trap - TERM INT EXIT
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$RUN_DIR/haproxy.sock"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# One secret for all replicas: an XSRF cookie made by one replica is valid on the others after failover.
export STREAMLIT_SERVER_COOKIE_SECRET="${STREAMLIT_SERVER_COOKIE_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export FLANKMAP_ADDRESS=127.0.0.1
: > "$RUN_DIR/replicas.pids"
SPECS=()
for i in $(seq "$REPLICAS"); do
  port=$((BASE_PORT + i))
  "$HERE/serve.sh" "$port" > "$RUN_DIR/r$i.log" 2>&1 &
  PIDS+=("$!")
  echo "r$i $! $port" >> "$RUN_DIR/replicas.pids"
  SPECS+=("r$i=127.0.0.1:$port")
done
for i in $(seq "$REPLICAS"); do
  port=$((BASE_PORT + i))
  for _ in $(seq 300); do
    if python3 -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:$port/_stcore/health', timeout=2).read() != b'ok')" 2>/dev/null; then
      break
    fi
    sleep 0.2
  done
done

SCHEME=http
if [ -n "$TLS" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$RUN_DIR/key.pem" -out "$RUN_DIR/cert.pem" 2>/dev/null
  cat "$RUN_DIR/cert.pem" "$RUN_DIR/key.pem" > "$RUN_DIR/tls.pem"
  chmod 600 "$RUN_DIR/key.pem" "$RUN_DIR/tls.pem"
  export FLANKMAP_TLS_CERT="$RUN_DIR/tls.pem"
  SCHEME=https
fi
sh "$HERE/haproxy-config.sh" "$BIND:$PORT" "$RUN_DIR/haproxy.sock" "${SPECS[@]}" > "$RUN_DIR/haproxy.cfg"
"$HAPROXY" -db -f "$RUN_DIR/haproxy.cfg" > "$RUN_DIR/haproxy.log" 2>&1 &
PIDS+=("$!")
echo "proxy $! $PORT" >> "$RUN_DIR/replicas.pids"
echo "run-local: $REPLICAS replicas behind $SCHEME://$BIND:$PORT (state in $RUN_DIR; Ctrl-C stops)"
wait "${PIDS[-1]}"   # the proxy; a replica that dies is marked DOWN by its health check, the rest go on
