#!/bin/sh
# Print Flankmap's HAProxy configuration (used by run-local.sh and by the compose file, so both proxies
# have the same settings). Usage: haproxy-config.sh BIND STATS_SOCKET NAME=HOST:PORT...
#   BIND          address:port the proxy listens on, e.g. 127.0.0.1:8600 or :8080
#   STATS_SOCKET  path of the stats socket (level user: "show stat" lists each replica UP/DOWN, nothing more)
#   NAME=HOST:PORT  one per replica; NAME is its affinity cookie value (and X-Flankmap-Replica on health checks)
# Environment (all optional):
#   FLANKMAP_TLS_CERT       PEM file (certificate + key): terminate TLS on BIND, Secure cookies, HSTS
#   FLANKMAP_PUBLIC_ORIGIN  e.g. https://flankmap.example.org: a websocket from this Origin is allowed besides
#                           the same-origin one (the Host it was sent to); any other Origin is refused here
#   FLANKMAP_FRAME_ANCESTORS  CSP frame-ancestors sources allowed to embed the app (default 'self'),
#                           e.g. "'self' https://newsroom.example.org"
#   FLANKMAP_CLIENT_MAX_CONN  open connections per client address (default 200; a newsroom NAT is one address)
#   FLANKMAP_CLIENT_REQ_RATE  HTTP requests per client address per 10 s (default 1000), above: 429
#   FLANKMAP_HTTP_REQUEST_TIMEOUT  time to send a whole request head (default 10s; slow-header clients)
#   FLANKMAP_RESOLVER       HOST:PORT of a DNS server (compose: 127.0.0.11:53): replica names are re-resolved
set -eu
BIND="$1"; SOCK="$2"; shift 2
TLS_CERT="${FLANKMAP_TLS_CERT:-}"
SELF="'self'"
FRAME_ANCESTORS="${FLANKMAP_FRAME_ANCESTORS:-$SELF}"
MAX_CONN="${FLANKMAP_CLIENT_MAX_CONN:-200}"
REQ_RATE="${FLANKMAP_CLIENT_REQ_RATE:-1000}"
REQ_TIMEOUT="${FLANKMAP_HTTP_REQUEST_TIMEOUT:-10s}"
case "$MAX_CONN$REQ_RATE" in *[!0-9]*) echo "haproxy-config: limits must be whole numbers" >&2; exit 2;; esac
case "$FRAME_ANCESTORS ${FLANKMAP_PUBLIC_ORIGIN:-} $TLS_CERT" in
  *'"'*|*'\'*|*"
"*) echo "haproxy-config: quotes, backslashes or line breaks in a setting" >&2; exit 2;;
esac
BIND_OPTS=""
COOKIE_SECURE=""
if [ -n "$TLS_CERT" ]; then
  BIND_OPTS=" ssl crt ${TLS_CERT} alpn http/1.1"
  COOKIE_SECURE=" secure"
fi
cat <<CFG
global
    maxconn 4096
    stats socket ${SOCK} mode 600 level user
    log stdout format raw local0 warning
    tune.ssl.default-dh-param 2048
    ssl-default-bind-options ssl-min-ver TLSv1.2

defaults
    mode http
    log global
    option httplog
    option redispatch            # a cookie naming a dead replica goes to a live one, not to an error
    retries 2
    timeout connect 3s
    timeout http-request ${REQ_TIMEOUT}  # the whole request head: a slow-header client is cut off
    timeout client 60s
    timeout server 60s
    timeout tunnel 2h            # the Streamlit websocket (/_stcore/stream) lives as long as the tab
    timeout http-keep-alive 10s
CFG
if [ -n "${FLANKMAP_RESOLVER:-}" ]; then
  cat <<CFG

resolvers dns
    nameserver dns ${FLANKMAP_RESOLVER}
    hold valid 10s
CFG
fi
cat <<CFG

frontend flankmap
    bind ${BIND}${BIND_OPTS}
    # Per client address: open connections and request rate (generous: behind a newsroom NAT every reader
    # shares one address). Websocket frames are not counted (a tunnel); Streamlit caps their size.
    stick-table type ipv6 size 100k expire 60s store conn_cur,http_req_rate(10s)
    tcp-request connection track-sc0 src
    tcp-request connection reject if { sc_conn_cur(0) gt ${MAX_CONN} }
    http-request deny deny_status 429 if { sc_http_req_rate(0) gt ${REQ_RATE} }
    # Server internals are not for readers: Prometheus metrics (cache names, timings, reader counts).
    # /_stcore/host-config stays: the browser client fetches it on every connect.
    http-request deny deny_status 404 if { path_beg /_stcore/metrics }
    # A websocket from a foreign page is refused here, before Streamlit's origin check (which looked up the
    # external address on the internet for a foreign Origin). Same-origin or the public origin only; a
    # client without Origin (not a browser) is left to Streamlit.
    http-request set-var(txn.host) req.hdr(host)
    acl ws_path path /_stcore/stream
    acl has_origin req.hdr(origin) -m found
    acl same_origin req.hdr(origin),field(3,/),strcmp(txn.host) eq 0
CFG
if [ -n "${FLANKMAP_PUBLIC_ORIGIN:-}" ]; then
  echo "    acl public_origin req.hdr(origin) -m str ${FLANKMAP_PUBLIC_ORIGIN}"
  echo "    http-request deny deny_status 403 if ws_path has_origin !same_origin !public_origin"
else
  echo "    http-request deny deny_status 403 if ws_path has_origin !same_origin"
fi
cat <<CFG
    http-request set-var(txn.health) bool(1) if { path /_stcore/health }
    # Browser security headers on every response.
    http-response set-header X-Content-Type-Options nosniff
    http-response set-header Referrer-Policy same-origin
    http-response set-header Content-Security-Policy "frame-ancestors ${FRAME_ANCESTORS}"
CFG
if [ -n "$TLS_CERT" ]; then
  echo "    http-response set-header Strict-Transport-Security \"max-age=31536000\""
  cat <<'CFG'
    # Streamlit marks its XSRF cookie Secure only when it terminates TLS itself; here the proxy does.
    http-response replace-header Set-Cookie ^(_streamlit_xsrf=.*)$ "\1; Secure"
CFG
fi
cat <<CFG
    default_backend replicas

backend replicas
    balance roundrobin           # new browsers spread over the replicas ...
    # ... and stay: a session (and its download files) lives in one replica's memory. A cookie, not
    # the client address: behind a newsroom NAT every reader has the same address.
    cookie FLANKMAP_REPLICA insert indirect nocache httponly${COOKIE_SECURE} attr "SameSite=Lax"
    option httpchk GET /_stcore/health
    http-check expect string ok
    default-server check inter 1s fall 2 rise 2
    # HAProxy forwards the websocket upgrade of /_stcore/stream as is (HTTP/1.1 Upgrade); no extra rule.
    # Which replica answered: the replica's name (never its address), on health checks only.
    http-response set-header X-Flankmap-Replica %s if { var(txn.health) -m bool }
CFG
for spec in "$@"; do
  name="${spec%%=*}"; addr="${spec#*=}"
  if [ -n "${FLANKMAP_RESOLVER:-}" ]; then
    echo "    server ${name} ${addr} cookie ${name} resolvers dns init-addr last,libc,none"
  else
    echo "    server ${name} ${addr} cookie ${name}"
  fi
done
