#!/usr/bin/env bash
# Removes a persistent TUN device made by tun-up.sh. Running it when the device is gone is harmless.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tt_usage() {
  cat <<USAGE
usage: $(basename "$0") NAME [--netns NS]
  Deletes persistent TUN device NAME (in network namespace NS when given). Idempotent.
USAGE
}
# shellcheck source=common.sh
source "$here/common.sh"
tt_parse "$@"
tt_check_name
tt_need_root "$@"
info="$(tt_tuntap_info)"
if [ -z "$info" ]; then
  if "${IP[@]}" link show dev "$NAME" >/dev/null 2>&1; then
    tt_die "device $NAME is not a TUN device — not touching it"
  fi
  echo "no TUN device $NAME — nothing to do"
  exit 0
fi
case " $info " in
  *" tun "*) ;;
  *) tt_die "device $NAME is a TAP device ($info) — not touching it" ;;
esac
"${IP[@]}" tuntap del dev "$NAME" mode tun $(case " $info " in *" multi_queue "*) echo multi_queue ;; esac)
echo "removed TUN device $NAME"
