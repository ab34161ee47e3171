#!/usr/bin/env bash
# Builds the page and serves dist/ on http://127.0.0.1:${PORT:-8080} (the demo bundle is one click
# away: "Load demo bundle"). Usage: scripts/serve.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-${PORT:-8080}}"
scripts/build.sh
echo "Switchboard: http://127.0.0.1:$PORT/   (single file: dist/switchboard.html)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
