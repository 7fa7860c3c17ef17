# Shared option parsing for the native-setup scripts (sourced, not run).
# Sets: NAME, TUN_USER, PEER, MTU, NETNS, IP (the ip command, with -n NETNS when given).
tt_die() { echo "$(basename "$0"): $*" >&2; exit 1; }

tt_parse() {
  NAME="" TUN_USER="${SUDO_USER:-$(id -un)}" PEER="10.13.0.1/24" MTU="" NETNS=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --user) TUN_USER="${2:?--user needs a user name}"; shift 2 ;;
      --peer) PEER="${2:?--peer needs A.B.C.D/LEN}"; shift 2 ;;
      --mtu) MTU="${2:?--mtu needs a number}"; shift 2 ;;
      --netns) NETNS="${2:?--netns needs a namespace name}"; shift 2 ;;
      --tun) NAME="${2:?--tun needs a device name}"; shift 2 ;;
      -h|--help) tt_usage; exit 0 ;;
      -*) tt_die "unknown option $1 — see --help" ;;
      *) [ -z "$NAME" ] || tt_die "one device name only (got $NAME and $1) — see --help"; NAME="$1"; shift ;;
    esac
  done
  IP=(ip)
  if [ -n "$NETNS" ]; then
    [ -e "/var/run/netns/$NETNS" ] || tt_die "no network namespace $NETNS — create it first: ip netns add $NETNS"
    IP=(ip -n "$NETNS")
  fi
}

tt_check_name() {
  [ -n "$NAME" ] || tt_die "which device? — give a name, e.g. $(basename "$0") tt0"
  [[ "$NAME" =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || tt_die "bad device name '$NAME' — use 1 to 15 of A-Z a-z 0-9 _ . -"
}

tt_need_root() {
  [ "$(id -u)" -eq 0 ] || tt_die "this needs root — run: sudo $0 $*"
  command -v ip >/dev/null 2>&1 || tt_die "iproute2 is missing — install it: apt-get install iproute2"
}

# "tun persist user 1000" for an existing TUN/TAP device NAME, empty otherwise.
tt_tuntap_info() {
  "${IP[@]}" tuntap show 2>/dev/null | awk -v n="$NAME:" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }'
}
