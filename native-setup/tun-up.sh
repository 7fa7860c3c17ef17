#!/usr/bin/env bash
# Creates a persistent TUN device owned by a user, gives the kernel side an address and brings it up,
# so tuntcp can later attach to it without root. Run once as root; running it again is harmless.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tt_usage() {
  cat <<USAGE
usage: $(basename "$0") NAME [--user USER] [--peer A.B.C.D/LEN] [--mtu N] [--netns NS]
  Creates persistent TUN device NAME owned by USER (default: \$SUDO_USER or you), gives the kernel
  side --peer (default 10.13.0.1/24), sets --mtu when given, and brings it up. Idempotent.
  --netns NS acts inside network namespace NS instead of the current one.
  Then, as USER:  ./tuntcp serve --tun NAME --addr 10.13.0.2 --peer 10.13.0.1/24
USAGE
}
# shellcheck source=common.sh
source "$here/common.sh"
tt_parse "$@"
tt_check_name
tt_need_root "$@"
[[ "$PEER" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$ ]] || tt_die "bad --peer '$PEER' — expected A.B.C.D/LEN, e.g. 10.13.0.1/24"
uid=$(id -u "$TUN_USER" 2>/dev/null) || tt_die "no user '$TUN_USER' — give an existing one with --user"

info="$(tt_tuntap_info)"
if [ -z "$info" ]; then
  if "${IP[@]}" link show dev "$NAME" >/dev/null 2>&1; then
    tt_die "device $NAME exists and is not a TUN device — choose another name"
  fi
  "${IP[@]}" tuntap add dev "$NAME" mode tun user "$TUN_USER"
  echo "created TUN device $NAME owned by $TUN_USER (uid $uid)"
else
  case " $info " in
    *" tun "*) ;;
    *) tt_die "device $NAME exists but is a TAP device ($info) — remove it with tun-down.sh or choose another name" ;;
  esac
  case " $info " in
    *" user $uid "*) echo "TUN device $NAME already exists, owned by $TUN_USER" ;;
    *) tt_die "device $NAME exists but is not owned by $TUN_USER ($info) — remove it with tun-down.sh $NAME first" ;;
  esac
fi
"${IP[@]}" addr replace "$PEER" dev "$NAME"
if [ -n "$MTU" ]; then
  "${IP[@]}" link set dev "$NAME" mtu "$MTU"
fi
"${IP[@]}" link set dev "$NAME" up
echo "$NAME: kernel side $PEER, up${MTU:+, mtu $MTU}${NETNS:+, in namespace $NETNS}"
