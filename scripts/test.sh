#!/bin/sh
# Runs every test: unit tests beside the code, then acceptance tests against a
# started server. Installs what the tests need first (nothing from apt yet).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-test-deps.sh
npm run typecheck
unit=$(find packages -path '*/node_modules' -prune -o -name '*.test.ts' -print | grep -v '/test/acceptance/' | sort)
node --import tsx --test --test-concurrency=2 $unit
acceptance=$(find packages -path '*/node_modules' -prune -o -path '*/test/acceptance/*.test.ts' -print | sort)
if [ -n "$acceptance" ]; then
  node --import tsx --test --test-concurrency=1 $acceptance
fi
