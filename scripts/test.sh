#!/bin/sh
# Runs every test: unit tests beside the code (src/), then the tests that
# start servers and real clients (test/ folders), one file at a time.
# Installs what the tests need first (scripts/install-test-deps.sh).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-test-deps.sh
npm run typecheck
npm run build --silent -w packages/ui
all=$(find packages examples -path '*/node_modules' -prune -o -name '*.test.ts' -print | sort)
unit=$(echo "$all" | grep '/src/')
servers=$(echo "$all" | grep -v '/src/')
node --import tsx --test --test-concurrency=2 $unit
node --import tsx --test --test-concurrency=1 $servers
