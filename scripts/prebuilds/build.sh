#!/usr/bin/env bash
# Rebuilds vendor/prebuilds/ from the npm sources of the native SQLite bindings pinned in package-lock.json.
# Why the repo carries them: their install scripts download a prebuilt binary from GitHub, which these
# machines cannot reach, and then compile SQLite from source (about 100 s each, most of `npm ci`).
# prebuild-install looks in vendor/prebuilds first (see .prebuild-installrc), so a clean `npm ci` unpacks these instead.
# Run after bumping better-sqlite3 or sqlite3 (scripts/prebuilds/prebuilds.test.ts fails until you do):
#   bash scripts/prebuilds/build.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/vendor/prebuilds"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

version_of() { node -p "require('$root/package-lock.json').packages['node_modules/$1'].version"; }
bsq="$(version_of better-sqlite3)"
sq="$(version_of sqlite3)"
abi="$(node -p 'process.versions.modules')"

cd "$work"
echo '{"name":"prebuilds","private":true}' > package.json
# --build-from-source: never take a binary from anywhere but this machine's compiler.
npm install --no-save --no-audit --no-fund --build-from-source "better-sqlite3@$bsq" "sqlite3@$sq"

rm -f "$out"/*.tar.gz
# The names prebuild-install looks for: <name>-v<version>-<runtime>-v<abi>-<platform>-<arch>.tar.gz
(cd node_modules/better-sqlite3 && tar -czf "$out/better-sqlite3-v$bsq-node-v$abi-linux-x64.tar.gz" build/Release/better_sqlite3.node)
(cd node_modules/sqlite3 && tar -czf "$out/sqlite3-v$sq-napi-v6-linux-x64.tar.gz" build/Release/node_sqlite3.node)
(cd "$out" && sha256sum ./*.tar.gz > SHA256SUMS)
echo "prebuilds: written to $out"
cat "$out/SHA256SUMS"
