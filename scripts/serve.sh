#!/usr/bin/env bash
# Serves Tongxin on 127.0.0.1:$1 with one task worker beside it; both stop together.
set -euo pipefail
port="${1:-8000}"
venv="$(dirname "$0")/../.venv/bin"
"$venv/python" manage.py db_worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Tongxin: http://127.0.0.1:${port}/  (task worker pid ${worker}; Ctrl-C stops both)"
# --timeout 120: a register import of tens of thousands of households runs in the request (for now).
"$venv/gunicorn" tongxin.wsgi --bind "127.0.0.1:${port}" --workers 2 --threads 4 --timeout 120 --access-logfile -
