#!/usr/bin/env bash
# Says whether this machine (and user) can run tuntcp, and for each missing piece how to fix it.
# Exit status: 0 when nothing is missing, 1 otherwise.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tt_usage() {
  cat <<USAGE
usage: $(basename "$0") [--tun NAME] [--netns NS]
  Checks the tun module, /dev/net/tun and its permissions, your privileges (root/CAP_NET_ADMIN, or a
  persistent device NAME you own), and iproute2. --netns NS looks at devices inside namespace NS.
USAGE
}
# shellcheck source=common.sh
source "$here/common.sh"
tt_parse "$@"
missing=0
ok() { echo "ok:      $*"; }
miss() { echo "MISSING: $1"; echo "         fix: $2"; missing=$((missing + 1)); }
note() { echo "note:    $*"; }
me="$(id -un)"

[ "$(uname -s)" = Linux ] && ok "Linux $(uname -r)" || miss "a Linux kernel" "tuntcp needs Linux TUN devices"

if [ -e /sys/class/misc/tun ] || [ -d /sys/module/tun ]; then
  ok "tun driver loaded"
else
  miss "the tun driver is not loaded" "sudo modprobe tun"
fi

if [ -c /dev/net/tun ]; then
  ok "/dev/net/tun exists ($(stat -c '%A %U:%G' /dev/net/tun))"
  if [ -r /dev/net/tun ] && [ -w /dev/net/tun ]; then
    ok "/dev/net/tun is readable and writable by $me"
  else
    miss "/dev/net/tun is not readable and writable by $me" "run as root, or: sudo chmod 0666 /dev/net/tun"
  fi
else
  miss "/dev/net/tun does not exist" "sudo mkdir -p /dev/net && sudo mknod /dev/net/tun c 10 200 && sudo chmod 0666 /dev/net/tun"
fi

if command -v ip >/dev/null 2>&1; then
  ok "iproute2 ($(command -v ip))"
else
  miss "iproute2 (used by these scripts and the tests, not by tuntcp itself)" "sudo apt-get install iproute2"
fi

cap_eff=$(awk '/^CapEff:/ {print $2}' "/proc/$$/status")
net_admin=$(( (16#${cap_eff:-0} >> 12) & 1 ))
uid=$(id -u)
if [ -n "$NETNS" ]; then
  if [ -e "/var/run/netns/$NETNS" ]; then ok "network namespace $NETNS"; else miss "network namespace $NETNS" "sudo ip netns add $NETNS"; fi
fi
info=""
if [ -n "$NAME" ] && command -v ip >/dev/null 2>&1; then
  info="$(tt_tuntap_info)"
fi
if [ "$net_admin" -eq 1 ]; then
  ok "CAP_NET_ADMIN (${me}): tuntcp can create and configure TUN devices"
elif [ -n "$info" ] && [[ " $info " == *" user $uid "* ]]; then
  ok "no CAP_NET_ADMIN, but TUN device $NAME is persistent and owned by $me: tuntcp can attach to it"
else
  miss "CAP_NET_ADMIN (you are $me without it${NAME:+, and $NAME is not a TUN device you own})" \
       "run as root, or have root create a device for you once: sudo native-setup/tun-up.sh ${NAME:-tt0} --user $me"
fi

if [ -n "$NAME" ] && command -v ip >/dev/null 2>&1; then
  if [ -n "$info" ]; then
    addr=$("${IP[@]}" -4 -o addr show dev "$NAME" 2>/dev/null | awk '{print $4}' | paste -sd, -)
    state=$("${IP[@]}" -o link show dev "$NAME" 2>/dev/null | grep -q '[<,]UP[,>]' && echo up || echo down)
    ok "TUN device $NAME: $info; address ${addr:-none}; $state"
    [ -n "$addr" ] && [ "$state" = up ] || note "$NAME needs an address and to be up before an unprivileged attach: sudo native-setup/tun-up.sh $NAME --user $me"
  elif "${IP[@]}" link show dev "$NAME" >/dev/null 2>&1; then
    miss "device $NAME exists but is not a TUN device" "choose another --tun name"
  else
    note "no device $NAME yet: tuntcp creates it when run as root, or: sudo native-setup/tun-up.sh $NAME --user $me"
  fi
fi

if [ "$missing" -eq 0 ]; then
  echo "all set"
  exit 0
fi
echo "$missing thing(s) missing — see the fixes above"
exit 1
