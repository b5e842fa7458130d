#!/bin/sh
# One Flankmap replica: the entry point of the image (Dockerfile) and of run-local.sh, so both run the
# same command with the same settings. Usage: deploy/serve.sh [PORT]  (default 8501).
# Settings for running behind a proxy: headless, no usage statistics, XSRF protection on, no file watcher
# (the code never changes under a deployed replica; watching costs CPU on every rerun), CORS on.
# FLANKMAP_ADDRESS: interface to listen on (0.0.0.0 in the image, 127.0.0.1 in run-local.sh).
# STREAMLIT_SERVER_COOKIE_SECRET: give every replica the same one (run-local.sh does), so a browser that
# fails over to another replica keeps a valid XSRF cookie.
set -eu
cd "$(dirname "$0")/.."
PORT="${1:-${FLANKMAP_PORT:-8501}}"
# FLANKMAP_PUBLIC_HOST: the name readers use (browser.serverAddress; default localhost). FLANKMAP_ALLOWED_HOSTS:
# comma-separated Host names allowed to open the websocket (default: any; the proxy checks the Origin).
# Uncaught errors show no traceback to readers (client.showErrorDetails none); the log keeps it.
# deploy/streamlit_main.py is Streamlit's own command line without the external-address lookup.
set -f  # "*" is a host pattern here, not a file glob
set --
for host in $(echo "${FLANKMAP_ALLOWED_HOSTS:-*}" | tr ',' ' '); do
  set -- "$@" --server.allowedHosts "$host"
done
exec "${PYTHON:-python3}" deploy/streamlit_main.py run app.py \
  --server.port "$PORT" \
  --server.address "${FLANKMAP_ADDRESS:-0.0.0.0}" \
  --server.headless true \
  --server.enableXsrfProtection true \
  --server.enableCORS true \
  --server.fileWatcherType none \
  --server.runOnSave false \
  --server.maxMessageSize 2 \
  --server.maxUploadSize 1 \
  --client.showErrorDetails none \
  --browser.serverAddress "${FLANKMAP_PUBLIC_HOST:-localhost}" \
  --browser.gatherUsageStats false \
  --global.developmentMode false \
  "$@"
