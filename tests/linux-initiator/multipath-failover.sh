#!/bin/bash
# The real Linux initiator against the three-node cluster of this machine: Debian's open-iscsi
# and dm-multipath in a QEMU guest (../shared/tools/linux-initiator) log in to the three portals
# with the README's multipath settings, fio writes with verify=crc32c through the map while the
# LUN's owner is killed (kill -9), and the node is brought back. It proves behaviour, not speed.
#   tests/linux-initiator/multipath-failover.sh [LINUX_INITIATOR_DIR]
# Starts the cluster (./iscsi-cluster up) if it is not running; builds the guest image once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export ISCSI_CLUSTER_ROOT; ISCSI_CLUSTER_ROOT=$(cd "$here/../.." && pwd)
tool=${1:-$ISCSI_CLUSTER_ROOT/../shared/tools/linux-initiator}
[[ -x "$tool/run.sh" ]] || { echo "linux-initiator not found at $tool" >&2; exit 2; }
[[ -s "${LI_CACHE:-/var/tmp/linux-initiator}/out/root.img" ]] || "$tool/build-image.sh"
"$ISCSI_CLUSTER_ROOT/iscsi-cluster" up >/dev/null
"$tool/run.sh" -t 420 -k "$here/multipath-failover.hook.sh" "$here/multipath-failover.guest.sh" \
  127.0.0.1:3260 127.0.0.2:3260 127.0.0.3:3260
