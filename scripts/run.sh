#!/usr/bin/env bash
# Runs Cody Batch: builds what it needs (the web UI when its sources changed, the server), then
# starts `codybatch serve` (API, web UI and in-process workers) on http://127.0.0.1:5080 with its
# data in ./data. Arguments pass through, e.g. `bash scripts/run.sh --urls http://127.0.0.1:8080`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v git >/dev/null || { echo "Cody Batch needs git on PATH (workspaces and patches use it); install it, e.g. apt-get install -y git." >&2; exit 1; }
command -v npm >/dev/null || { echo "Building the web UI needs Node.js and npm; install them, e.g. apt-get install -y nodejs npm." >&2; exit 1; }
# The sandbox that runs each repository's checks; without it runs still work and say why checks did not run.
if ! command -v bwrap >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null || echo "Could not install bubblewrap; checks will not run (apt-get install bubblewrap)." >&2
  else
    echo "bubblewrap is not installed, so repositories' checks will not run; install it, e.g. sudo apt-get install -y bubblewrap." >&2
  fi
fi
# socat joins the sandbox's own network namespace to the egress proxy; without it setup and the shell have no network.
if ! command -v socat >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq socat >/dev/null || echo "Could not install socat; setup and the shell will have no network (apt-get install socat)." >&2
  else
    echo "socat is not installed, so setup and the shell will have no network; install it, e.g. sudo apt-get install -y socat." >&2
  fi
fi
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then
  npm ci --prefix web --no-audit --no-fund --loglevel=error
fi
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/package-lock.json -newer web/dist/index.html -print -quit)" ]; then
  npm run --prefix web build
fi
# `dotnet run` starts in the project folder; keep the data beside the checkout instead.
export CodyBatch__DataDirectory="${CodyBatch__DataDirectory:-$PWD/data}"
exec dotnet run --project src/CodyBatch --configuration Release -- serve "$@"
