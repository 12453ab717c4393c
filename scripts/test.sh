#!/usr/bin/env bash
# Runs every test: restores and builds the solution, then runs all test projects.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v git >/dev/null || { echo "The tests need git on PATH; install it, e.g. apt-get install -y git." >&2; exit 1; }
dotnet build CodyBatch.slnx --configuration Release
dotnet test CodyBatch.slnx --configuration Release --no-build "$@"
