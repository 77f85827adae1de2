#!/usr/bin/env bash
# `npm run package`: a release tarball for gateways with no compiler: the compiled daemon and
# hubctl (dist/), their production dependencies only (native modules as built here, so build on
# the target's architecture and Node major: the ABI is in the file name), the unit, the install
# script and the docs. On the gateway:
#   tar xzf zigbee-hubd-*.tar.gz && sudo zigbee-hubd-*/scripts/install.sh --source zigbee-hubd-* --skip-npm
#
#   scripts/package.sh [--out DIR]
# It compiles into its own staging folder (tsconfig.build.json), never into this checkout's dist/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$HERE/release"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "package.sh: --out needs a folder" >&2; exit 1; }; OUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    *) echo "package.sh: unknown option: $1 (use --out DIR)" >&2; exit 1 ;;
  esac
done

cd "$HERE"
version="$(node -p 'require("./package.json").version')"
name="zigbee-hubd-$version-linux-$(node -p 'process.arch')-node$(node -p 'process.versions.modules')"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
app="$stage/$name"
mkdir -p "$app/daemon/ops" "$app/scripts" "$app/node_modules"
node node_modules/typescript/bin/tsc -p tsconfig.build.json --outDir "$app/dist"
cp -R package.json package-lock.json README.md bin proto sqlite-migrations systemd "$app/"
cp daemon/ops/CONFIG.md "$app/daemon/ops/"
cp scripts/install.sh "$app/scripts/"
cp -a node_modules/. "$app/node_modules/"
# Production dependencies only: no TypeScript compiler, no test runner (tsx stays while it is
# listed under dependencies; bin/ never loads it when dist/ is there).
(cd "$app" && npm prune --omit=dev --offline --no-audit --no-fund >/dev/null)
mkdir -p "$OUT"
tar -C "$stage" -czf "$OUT/$name.tar.gz" "$name"
echo "package.sh: $OUT/$name.tar.gz ($(du -h "$OUT/$name.tar.gz" | cut -f1), unpacked $(du -sh "$app" | cut -f1))"
