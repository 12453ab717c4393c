#!/usr/bin/env bash
# Runs every test: installs what the tests need (the storage emulators, the web UI's packages,
# Chromium, bubblewrap), builds the web UI and the solution, then runs the web component tests, every .NET
# test project, and the end-to-end tests of the web UI in headless Chromium.
#
#   scripts/test.sh [--repeat N] [dotnet test options…]
#
# --repeat N runs the .NET test projects N times in a row after one build (the web tests once), stops at
# the first red run and prints each run's time, so a flaky test shows itself before it lands. Other options
# go to `dotnet test` as before.
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "--repeat takes a whole number of runs, e.g. --repeat 5." >&2; exit 2; }
      repeat=$2
      shift 2
      ;;
    --repeat=*)
      repeat=${1#--repeat=}
      [[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "--repeat takes a whole number of runs, e.g. --repeat=5." >&2; exit 2; }
      shift
      ;;
    *)
      args+=("$1")
      shift
      ;;
  esac
done
command -v git >/dev/null || { echo "The tests need git on PATH; install it, e.g. apt-get install -y git." >&2; exit 1; }
command -v npm >/dev/null || { echo "The tests need Node.js and npm (storage emulators, web UI); install them, e.g. apt-get install -y nodejs npm." >&2; exit 1; }
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "The web UI's end-to-end tests need Chromium; install it, e.g. sudo apt-get install -y chromium." >&2
    exit 1
  fi
fi
# The check sandbox (bubblewrap) the sandbox and verification tests run; python3 and node for their fixtures.
if ! command -v bwrap >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null
  else
    echo "The check sandbox tests need bubblewrap; install it, e.g. sudo apt-get install -y bubblewrap." >&2
    exit 1
  fi
fi
# socat bridges the egress proxy into a sandbox that has no network of its own.
if ! command -v socat >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq socat >/dev/null
  else
    echo "The egress proxy tests need socat; install it, e.g. sudo apt-get install -y socat." >&2
    exit 1
  fi
fi
command -v python3 >/dev/null || { echo "The checks tests need python3 for their fixtures; install it, e.g. apt-get install -y python3." >&2; exit 1; }
# pip and venv for the pip end-to-end tests (the sandbox sees the machine's /usr).
if command -v dpkg >/dev/null && ! dpkg -s python3-pip python3-venv >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3-pip python3-venv >/dev/null
  else
    echo "The pip tests need pip and venv; install them, e.g. sudo apt-get install -y python3-pip python3-venv." >&2
    exit 1
  fi
fi
# Every relative link in README.md and docs/ resolves.
python3 scripts/check-links.py
# The DynamoDB and S3 emulators the AWS storage tests run against (dynalite, s3rver), pinned by the lock file.
npm ci --prefix tests/emulators --no-audit --no-fund --loglevel=error
npm ci --prefix web --no-audit --no-fund --loglevel=error
npm run --prefix web build
npm run --prefix web test
dotnet build CodyBatch.slnx --configuration Release
for run in $(seq 1 "$repeat"); do
  started=$(date +%s)
  dotnet test CodyBatch.slnx --configuration Release --no-build ${args[@]+"${args[@]}"}
  if [ "$repeat" -gt 1 ]; then
    echo "The .NET suite passed, run $run of $repeat, in $(( $(date +%s) - started )) s."
  fi
done
CONFIGURATION=Release npm run --prefix web e2e
