#!/usr/bin/env bash
# Runs Cody Batch: builds what it needs, then starts `codybatch serve` (API and in-process
# workers) on http://127.0.0.1:5080 with its data in ./data. Arguments pass through,
# e.g. `bash scripts/run.sh --urls http://127.0.0.1:8080`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v git >/dev/null || { echo "Cody Batch needs git on PATH (workspaces and patches use it); install it, e.g. apt-get install -y git." >&2; exit 1; }
# `dotnet run` starts in the project folder; keep the data beside the checkout instead.
export CodyBatch__DataDirectory="${CodyBatch__DataDirectory:-$PWD/data}"
exec dotnet run --project src/CodyBatch --configuration Release -- serve "$@"
