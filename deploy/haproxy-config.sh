#!/bin/sh
# Print Flankmap's HAProxy configuration (used by run-local.sh and by the compose file, so both proxies
# have the same settings). Usage: haproxy-config.sh BIND STATS_SOCKET NAME=HOST:PORT...
#   BIND          address:port the proxy listens on, e.g. 127.0.0.1:8600 or :8080
#   STATS_SOCKET  path of the admin/stats socket ("show stat" lists each replica UP/DOWN)
#   NAME=HOST:PORT  one per replica; NAME is its affinity cookie value and its X-Flankmap-Replica header
set -eu
BIND="$1"; SOCK="$2"; shift 2
cat <<CFG
global
    maxconn 4096
    stats socket ${SOCK} mode 600 level admin
    log stdout format raw local0 warning

defaults
    mode http
    log global
    option httplog
    option redispatch            # a cookie naming a dead replica goes to a live one, not to an error
    retries 2
    timeout connect 3s
    timeout client 60s
    timeout server 60s
    timeout tunnel 2h            # the Streamlit websocket (/_stcore/stream) lives as long as the tab
    timeout http-keep-alive 10s

frontend flankmap
    bind ${BIND}
    default_backend replicas

backend replicas
    balance roundrobin           # new browsers spread over the replicas ...
    # ... and stay: a session (and its download files) lives in one replica's memory. A cookie, not
    # the client address: behind a newsroom NAT every reader has the same address.
    cookie FLANKMAP_REPLICA insert indirect nocache httponly attr "SameSite=Lax"
    option httpchk GET /_stcore/health
    http-check expect string ok
    default-server check inter 1s fall 2 rise 2
    # HAProxy forwards the websocket upgrade of /_stcore/stream as is (HTTP/1.1 Upgrade); no extra rule.
    http-response set-header X-Flankmap-Replica %s
CFG
for spec in "$@"; do
  name="${spec%%=*}"; addr="${spec#*=}"
  echo "    server ${name} ${addr} cookie ${name}"
done
