#!/bin/sh
# What the tests need beyond npm packages, from Debian's packages: Prometheus
# (scrapes the SDK's example app; promtool checks its /metrics), Alertmanager
# (its amtool and the alerts bench), Redis and PostgreSQL (the SDK's health
# checks run against real servers), Chromium (the UI's browser tests). Installs
# only what is missing, so a second run is quick.
set -eu
need=""
command -v prometheus >/dev/null 2>&1 || need="$need prometheus"
command -v amtool >/dev/null 2>&1 || need="$need prometheus-alertmanager"
command -v redis-server >/dev/null 2>&1 || need="$need redis-server"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -x /usr/lib/postgresql/15/bin/postgres ] || need="$need postgresql"
if [ -n "$need" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
