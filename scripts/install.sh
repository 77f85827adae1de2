#!/usr/bin/env bash
# Installs zigbee-hubd on Debian / Raspberry Pi OS: the compiled daemon into /opt/zigbee-hubd, the
# service user, /var/lib/zigbee-hubd, /etc/zigbee-hubd/config.yaml (only if missing), the systemd
# unit and a udev rule giving common CC2652 sticks the stable name /dev/zigbee. Safe to run again
# (an upgrade: the app is replaced, config and data are kept). --uninstall removes what it added
# except the config and the data.
#
#   sudo scripts/install.sh [--source DIR] [--skip-npm]
#   sudo scripts/install.sh --uninstall
#   scripts/install.sh --root DIR ...   # into DIR instead of /, for tests and image builders
#
# --root DIR   install under DIR; steps that act on the running system (useradd, chown, udevadm,
#              systemctl) are skipped there and each skip is printed.
# --source DIR the built tree to install from (default: this script's checkout). Without
#              --skip-npm it runs `npm ci` and `npm run build` there; the installed copy then
#              gets `npm prune --omit=dev` (no compiler, no TypeScript loader at run time).
# --skip-npm   run no npm at all: DIR must already hold dist/ and node_modules/ (a prebuilt tree).
set -euo pipefail

readonly MIN_NODE="20.19.0"
readonly APP_NAME="zigbee-hubd"
readonly SERVICE_USER="zigbee-hubd"

ROOT=""
# This script's own checkout (or unpacked release): the unit file comes from here.
readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOURCE="$HERE"
SKIP_NPM=0
UNINSTALL=0

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }
skipped() { say "skipped under --root: $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || die "--root needs a folder"; ROOT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --source) [ $# -ge 2 ] || die "--source needs a folder"; SOURCE="$(cd "$2" && pwd)"; shift 2 ;;
    --skip-npm) SKIP_NPM=1; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
[ "$ROOT" = "/" ] && ROOT=""

readonly PREFIX="$ROOT/opt/$APP_NAME"
readonly DATA_DIR="$ROOT/var/lib/$APP_NAME"
readonly CONFIG_DIR="$ROOT/etc/$APP_NAME"
readonly UNIT_FILE="$ROOT/etc/systemd/system/$APP_NAME.service"
readonly UDEV_RULE="$ROOT/etc/udev/rules.d/99-$APP_NAME.rules"

if [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then die "run as root (sudo), or give --root DIR"; fi

# Steps on the running system: run for real without --root, printed as skipped with it.
system() {
  if [ -n "$ROOT" ]; then skipped "$*"; else "$@"; fi
}

uninstall() {
  # Best effort: a unit that was never enabled (or is already gone) must not stop the removal.
  system systemctl disable --now "$APP_NAME.service" || say "the service was not enabled or running"
  rm -f "$UNIT_FILE" "$UDEV_RULE"
  system systemctl daemon-reload
  system udevadm control --reload || say "udevadm could not reload its rules (no udev here?)"
  rm -rf "$PREFIX"
  say "removed $PREFIX, the unit and the udev rule"
  say "kept the config ($CONFIG_DIR) and the data ($DATA_DIR: network key, devices, backups); remove them by hand if wanted"
  exit 0
}

check_node() {
  command -v node >/dev/null || die "Node.js is not installed. $(node_advice)"
  local version
  version="$(node -p 'process.versions.node')" || die "cannot run node. $(node_advice)"
  if ! version_at_least "$version" "$MIN_NODE"; then
    die "Node.js $version is too old: zigbee-hubd needs $MIN_NODE or later (20, 22 or 24). $(node_advice)"
  fi
  say "Node.js $version"
}

node_advice() {
  # Debian 12 / Raspberry Pi OS Bookworm ship Node 18 with apt: too old.
  echo "Install Node.js 22 LTS from NodeSource: curl -fsSL https://deb.nodesource.com/setup_22.x | sudo bash - && sudo apt-get install -y nodejs (armhf and arm64 included); then run this script again."
}

version_at_least() {
  local IFS=.
  local -a have=($1) want=($2)
  for i in 0 1 2; do
    if [ "${have[$i]:-0}" -gt "${want[$i]:-0}" ]; then return 0; fi
    if [ "${have[$i]:-0}" -lt "${want[$i]:-0}" ]; then return 1; fi
  done
  return 0
}

build_source() {
  if [ "$SKIP_NPM" -eq 1 ]; then
    say "--skip-npm: installing $SOURCE as built"
  else
    say "building in $SOURCE (npm ci, npm run build; better-sqlite3 compiles: python3 make g++ needed)"
    (cd "$SOURCE" && npm ci --no-audit --no-fund && npm run build)
  fi
  [ -f "$SOURCE/dist/daemon/cli.js" ] || die "$SOURCE/dist is missing: run \`npm run build\` there (or drop --skip-npm)"
  [ -d "$SOURCE/node_modules" ] || die "$SOURCE/node_modules is missing: run \`npm ci\` there (or drop --skip-npm)"
}

install_app() {
  # A fresh copy beside the old one, swapped in at the end: a failed copy leaves the old install.
  local staging="$PREFIX.new"
  rm -rf "$staging"
  mkdir -p "$staging/daemon/ops"
  cp -R "$SOURCE/package.json" "$SOURCE/bin" "$SOURCE/dist" "$staging/"
  [ -f "$SOURCE/package-lock.json" ] && cp "$SOURCE/package-lock.json" "$staging/"
  # proto/ and the migrations are read at run time; follow links so the copy stands alone.
  cp -RL "$SOURCE/proto" "$SOURCE/sqlite-migrations" "$staging/"
  [ -f "$SOURCE/daemon/ops/CONFIG.md" ] && cp "$SOURCE/daemon/ops/CONFIG.md" "$staging/daemon/ops/"
  # The folder's content: a node_modules that is itself a link (a shared install) is copied too.
  mkdir -p "$staging/node_modules"
  cp -a "$SOURCE/node_modules/." "$staging/node_modules/"
  if [ "$SKIP_NPM" -eq 0 ]; then
    (cd "$staging" && npm prune --omit=dev --no-audit --no-fund)
  fi
  rm -rf "$PREFIX.old"
  [ -e "$PREFIX" ] && mv "$PREFIX" "$PREFIX.old"
  mv "$staging" "$PREFIX"
  rm -rf "$PREFIX.old"
  say "installed into $PREFIX"
}

create_user_and_dirs() {
  if [ -n "$ROOT" ]; then
    skipped "useradd --system --user-group --groups dialout --home-dir /var/lib/$APP_NAME --shell /usr/sbin/nologin $SERVICE_USER"
  elif id -u "$SERVICE_USER" >/dev/null 2>&1; then
    usermod -a -G dialout "$SERVICE_USER"
  else
    useradd --system --user-group --groups dialout --home-dir "/var/lib/$APP_NAME" --shell /usr/sbin/nologin "$SERVICE_USER"
  fi
  mkdir -p "$DATA_DIR" "$CONFIG_DIR"
  chmod 0750 "$DATA_DIR" "$CONFIG_DIR"
  system chown "$SERVICE_USER:$SERVICE_USER" "$DATA_DIR"
  system chown "root:$SERVICE_USER" "$CONFIG_DIR"
  # Installs before the YAML config had config.json; JSON is valid YAML, so it just moves.
  if [ -e "$CONFIG_DIR/config.json" ] && [ ! -e "$CONFIG_DIR/config.yaml" ]; then
    mv "$CONFIG_DIR/config.json" "$CONFIG_DIR/config.yaml"
    say "renamed $CONFIG_DIR/config.json to config.yaml (JSON is valid YAML)"
  fi
  if [ -e "$CONFIG_DIR/config.yaml" ]; then
    say "kept $CONFIG_DIR/config.yaml"
  else
    cat >"$CONFIG_DIR/config.yaml" <<'YAML'
# zigbee-hubd configuration: every key, its default and its rules are in
# /opt/zigbee-hubd/daemon/ops/CONFIG.md. ZIGBEE_HUBD_<SECTION>__<KEY> variables override keys.
data_dir: /var/lib/zigbee-hubd
serial:
  path: /dev/zigbee          # the udev rule's name for a known CC2652 stick; else /dev/serial/by-id/...
  adapter: zstack
cloud:
  enabled: false
YAML
    chmod 0640 "$CONFIG_DIR/config.yaml"
    system chown "root:$SERVICE_USER" "$CONFIG_DIR/config.yaml"
    say "wrote $CONFIG_DIR/config.yaml (serial.path /dev/zigbee, cloud off): edit it, see $PREFIX/daemon/ops/CONFIG.md"
  fi
}

install_unit_and_udev() {
  mkdir -p "$(dirname "$UNIT_FILE")" "$(dirname "$UDEV_RULE")"
  install -m 0644 "$HERE/systemd/$APP_NAME.service" "$UNIT_FILE"
  # CC2652 sticks by USB identity (the bridge chips are generic, so the product string narrows
  # them): each gets /dev/zigbee, group dialout. One stick per hub: the last match wins.
  cat >"$UDEV_RULE" <<'RULES'
# zigbee-hubd: a stable /dev/zigbee for common CC2652 coordinator sticks (scripts/install.sh).
# Sonoff ZBDongle-P (CP2102N)
SUBSYSTEM=="tty", ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="ea60", ATTRS{product}=="Sonoff Zigbee 3.0 USB Dongle Plus", SYMLINK+="zigbee", GROUP="dialout", MODE="0660"
# SMLIGHT SLZB-07 (CP2102N)
SUBSYSTEM=="tty", ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="ea60", ATTRS{product}=="SMLIGHT SLZB-07*", SYMLINK+="zigbee", GROUP="dialout", MODE="0660"
# slae.sh CC2652RB stick (CP2102N)
SUBSYSTEM=="tty", ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="ea60", ATTRS{product}=="slae.sh cc2652rb stick*", SYMLINK+="zigbee", GROUP="dialout", MODE="0660"
# Electrolama zzh! / zig-a-zig-ah (CH340)
SUBSYSTEM=="tty", ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="7523", ATTRS{product}=="*zzh*", SYMLINK+="zigbee", GROUP="dialout", MODE="0660"
# TI LaunchPad LAUNCHXL-CC26X2R1 / CC1352P (XDS110, first interface is the application UART)
SUBSYSTEM=="tty", ATTRS{idVendor}=="0451", ATTRS{idProduct}=="bef3", ENV{ID_USB_INTERFACE_NUM}=="00", SYMLINK+="zigbee", GROUP="dialout", MODE="0660"
RULES
  chmod 0644 "$UDEV_RULE"
  # Containers and some minimal images run no udev: the rule then waits for the next boot.
  system udevadm control --reload || say "udevadm could not reload its rules (no udev here?)"
  system udevadm trigger --subsystem-match=tty || true
  system systemctl daemon-reload
  system systemctl enable "$APP_NAME.service"
  # An upgrade restarts a running service; a first install waits for the config to be edited.
  system systemctl try-restart "$APP_NAME.service"
  say "unit $UNIT_FILE (enabled), udev rule $UDEV_RULE; start with: systemctl start $APP_NAME"
}

if [ "$UNINSTALL" -eq 1 ]; then uninstall; fi
check_node
build_source
install_app
create_user_and_dirs
install_unit_and_udev
say "done. Logs: journalctl -u $APP_NAME -f; state: systemctl status $APP_NAME"
