#!/usr/bin/env bash
# The tests need Debian's Chromium (end-to-end) and PostgreSQL's server binaries (the repository suite runs on
# PostgreSQL as well as PGlite). Installs what is missing when we may (root with apt-get); otherwise says what to
# install. Used by `npm test` (pretest) and by .ci/run.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing test dependencies: ${need[*]} (Debian packages)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "The tests need these Debian packages, which are missing: ${need[*]} (sudo apt-get install ${need[*]})." >&2
  exit 1
fi
