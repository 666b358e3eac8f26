# Guest side (helpers from the linux-initiator's guest/harness.sh): the README's multipath settings,
# login to three portals, the map's path groups, fio with verify through a kill of the owner.
set -u
IQN=iqn.2026-11.io.iscsicluster:demo
fail() { echo "FAIL: $*"; multipath -ll; exit 1; }

cat >/etc/multipath.conf <<'EOF'
defaults {
    user_friendly_names yes
    find_multipaths off
    polling_interval 2
}
blacklist {
    devnode "^vd[a-z]"
}
devices {
    device {
        vendor                "ISCSICLU"
        product               "VIRTUAL-DISK"
        path_grouping_policy  group_by_prio
        prio                  alua
        hardware_handler      "1 alua"
        path_checker          tur
        failback              immediate
        no_path_retry         queue
        fast_io_fail_tmo      5
        dev_loss_tmo          infinity
    }
}
EOF
multipathd reconfigure >/dev/null

t=$(now)
harness_login "$IQN" || fail "login"
harness_wait_mpath 3 90 || fail "multipath did not get 3 active paths"
echo "TIMING login+multipath (3 portals): $(elapsed "$t")s"
multipath -ll
[ "$(multipath -l -v1 | wc -l)" = 1 ] || fail "expected exactly one multipath map"
MAP=$(multipath -l -v1)
DEV=/dev/mapper/$MAP
# group_by_prio with ALUA: the owner's path alone in the highest-priority group (active/optimized, prio 50), which is
# the active one, and the two others together behind it (active/non-optimized, prio 10).
layout=$(multipath -ll "$MAP" | awk '/prio=/{match($0, /prio=[0-9]+/); p=substr($0, RSTART+5, RLENGTH-5); s=($0 ~ /status=active/) ? "active" : "standby"; g++; prio[g]=p; st[g]=s}
  /[0-9]+:[0-9]+:[0-9]+:[0-9]+/{n[g]++}
  END{for (i = 1; i <= g; i++) print prio[i], n[i], st[i]}' | sort -rn | tr '\n' ' ')
echo "path groups (prio paths status): $layout"
[ "$layout" = "50 1 active 10 2 standby " ] || fail "expected the owner's path alone in the active prio-50 group and two paths at prio 10, got '$layout'"
echo "ALUA OK: one active/optimized path, two active/non-optimized"

dd if=/dev/urandom of=/tmp/pattern bs=1M count=16 status=none
dd if=/tmp/pattern of="$DEV" bs=1M oflag=direct conv=fsync status=none || fail "write"
dd if="$DEV" bs=1M count=16 iflag=direct status=none | cmp - /tmp/pattern || fail "read-back differs"
echo "DATA OK"

echo "--- fio randwrite with verify=crc32c on the map; the owner is killed after 5 s"
fio --name=drill --filename="$DEV" --offset=16M --size=32M --rw=randwrite --bs=4k --direct=1 \
    --ioengine=libaio --iodepth=4 --time_based --runtime=45 --verify=crc32c --verify_backlog=256 \
    --verify_fatal=1 --output-format=json --output=/tmp/fio.json --eta=never &
FIO=$!
sleep 5
harness_signal kill-owner; harness_wait owner-killed 30 || fail "the host did not kill the owner"
sleep 15
multipath -ll
harness_signal restart; harness_wait restarted 240 || fail "the host did not restart the node"
t=$(now)
harness_wait_mpath 3 120 || fail "the returning node's path was not reinstated"
echo "TIMING path reinstated $(elapsed "$t")s after the node was back"
multipath -ll
wait $FIO; rc=$?
python3 - <<'EOF'
import json
j = json.load(open('/tmp/fio.json'))['jobs'][0]
for d in ('read', 'write'):
    print(f"fio {d}: ios={j[d]['total_ios']} iops={j[d]['iops']:.0f} max_lat={j[d]['lat_ns']['max']/1e9:.2f}s")
print("fio error:", j['error'])
print(f"TIMING longest I/O pause {max(j[d]['lat_ns']['max'] for d in ('read', 'write'))/1e9:.2f}s")
EOF
[ "$rc" = 0 ] || fail "fio exit $rc (I/O errors or a verify failure through the failover)"
dd if="$DEV" bs=1M count=16 iflag=direct status=none | cmp - /tmp/pattern || fail "pattern changed"
echo "PASS: 0 I/O errors, verify=crc32c clean, data intact, path back"
