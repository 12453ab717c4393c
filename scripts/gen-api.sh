#!/usr/bin/env bash
# Regenerates the web UI's copy of the API document (web/openapi.json) and its TypeScript types
# (web/src/api/schema.d.ts) from the server as built: run it after changing the HTTP API, when
# OpenApiDocumentTests says the copy is out of date. Builds the server first unless --no-build.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = --no-build ] || dotnet build src/CodyBatch -c Release -v q -nologo >/dev/null
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ASPNETCORE_URLS=http://127.0.0.1:$port CodyBatch__Worker__Enabled=false CodyBatch__Schedules__Loop=false \
  dotnet src/CodyBatch/bin/Release/net10.0/codybatch.dll serve --data "$data" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$port/openapi/v1.json" -o "$data/v1.json" 2>/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
  sleep 0.2
done
[ -s "$data/v1.json" ] || { echo "The server did not answer /openapi/v1.json; its log:" >&2; cat "$data/server.log" >&2; exit 1; }
python3 - "$data/v1.json" web/openapi.json <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc.pop("servers", None)
with open(sys.argv[2], "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
PY
[ -d web/node_modules ] || npm ci --prefix web --no-audit --no-fund --loglevel=error
npm run --prefix web gen:api --silent
echo "web/openapi.json and web/src/api/schema.d.ts regenerated."
