#!/usr/bin/env bash
# `npm test` runs this first (its pretest): the Debian packages the tests need, installed when missing.
# Installs them itself as root or with passwordless sudo; otherwise stops at once with the one command
# to run. Idempotent and quick when everything is there. `npm start` needs none of them.
set -euo pipefail

# One install at a time: .ci/run starts this in the background while `npm ci` runs, and npm test's own
# call waits here for that one to finish, then finds everything installed (a lock on this file itself:
# nothing to clean up, and any user can take it).
exec 9<"${BASH_SOURCE[0]}"
flock 9

# chromium-headless-shell: browser tests (e2e/ and the sdk's) drive Chromium's headless shell through
#   playwright-core (testkit/src/chromium.ts); OPENCHART_CHROMIUM names another build instead.
# postgresql: the agent's and the api's PostgreSQL tests start their own server (testkit/src/postgres.ts).
missing=()
[ -x "${OPENCHART_CHROMIUM:-/usr/bin/chromium-headless-shell}" ] || missing+=(chromium-headless-shell)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ "${#missing[@]}" -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null || ! sudo -n true 2>/dev/null; then
    echo "npm test needs the Debian packages: ${missing[*]}. Run this once, then npm test again:" >&2
    echo "  sudo bash scripts/system-packages.sh" >&2
    exit 1
  fi
  as_root=(sudo -n)
fi
if ! command -v apt-get >/dev/null; then
  echo "npm test needs ${missing[*]} and this is not a Debian system: install them, or set OPENCHART_CHROMIUM to a Chromium build" >&2
  exit 1
fi
echo "system packages: installing ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
