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
exec "${PYTHON:-python3}" -m streamlit run app.py \
  --server.port "$PORT" \
  --server.address "${FLANKMAP_ADDRESS:-0.0.0.0}" \
  --server.headless true \
  --server.enableXsrfProtection true \
  --server.enableCORS true \
  --server.fileWatcherType none \
  --server.runOnSave false \
  --browser.gatherUsageStats false \
  --global.developmentMode false
