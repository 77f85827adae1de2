#!/usr/bin/env bash
# Copies the compiled daemon (npm run build first) to DIR, so a benchmark can keep measuring that
# build while the sources change: end-to-end-processes.ts --bin DIR/bin/zigbee-hubd.js.
#   bash scripts/bench/snapshot-build.sh DIR
set -euo pipefail
dir=${1:?usage: snapshot-build.sh DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -d "$root/dist" ] || { echo "no dist/: run npm run build first" >&2; exit 1; }
rm -rf "$dir" && mkdir -p "$dir"
cp -R "$root/package.json" "$root/bin" "$root/proto" "$root/sqlite-migrations" "$root/dist" "$dir/"
ln -s "$(readlink -f "$root/node_modules")" "$dir/node_modules"
echo "$dir/bin/zigbee-hubd.js"
