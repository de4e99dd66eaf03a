#!/bin/sh
# What the tests need beyond npm packages. Nothing for the log pipeline yet;
# later issues add Debian packages here (chromium, prometheus, an SMTP sink).
set -eu
exit 0
