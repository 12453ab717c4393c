#!/usr/bin/env bash
# Runs every test: installs the storage emulators, restores and builds the solution, then runs all test projects.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v git >/dev/null || { echo "The tests need git on PATH; install it, e.g. apt-get install -y git." >&2; exit 1; }
command -v node >/dev/null || { echo "The storage tests need Node.js (they run the DynamoDB and S3 emulators); install it, e.g. apt-get install -y nodejs npm." >&2; exit 1; }
# The DynamoDB and S3 emulators the AWS storage tests run against (dynalite, s3rver), pinned by the lock file.
npm ci --prefix tests/emulators --no-audit --no-fund --loglevel=error
dotnet build CodyBatch.slnx --configuration Release
dotnet test CodyBatch.slnx --configuration Release --no-build "$@"
