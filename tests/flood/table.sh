#!/bin/bash
# Re-runs every probe of issue 15 with tests/flood/flood.py against a fresh node per row (from
# artifacts/node: run ./iscsi-cluster up once to build it), portal 127.0.0.1:23260, and counts the log
# lines each row wrote. Usage: tests/flood/table.sh [OUTPUT_FILE]
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dll=$root/artifacts/node/iscsi-cluster-node.dll
out=${1:-flood-table.txt}
: > $out
for row in nop text write-immediate read write16 write16-sessions sessions; do
  d=$(mktemp -d)
  cat > $d/node.conf <<CEOF
iscsi-cluster {
  node.name = "flood"
  iscsi { listen-address = "127.0.0.1", port = 23260 }
  targets = [ { name = "iqn.2026-12.io.iscsicluster:flood", luns = [ { lun = 1, size = 1G, block-size = 512 } ], initiator-addresses = ["ALL"] } ]
}
CEOF
  (cd $d && exec dotnet $dll --config $d/node.conf --data-dir $d/data --admin-socket $d/admin.sock --ready-file $d/ready > $d/node.log 2>&1) &
  pid=$!
  for i in $(seq 1 300); do [[ -s $d/ready ]] && break; sleep 0.2; done
  sleep 1
  before=$(wc -l < $d/node.log)
  case $row in
    nop|text) secs=3;; write-immediate) secs=10;; read) secs=20;; write16|write16-sessions) secs=35;; sessions) secs=20000;;
  esac
  echo "== $row ($secs s)" >> $out
  timeout 300 python3 $root/tests/flood/flood.py 127.0.0.1:23260 iqn.2026-12.io.iscsicluster:flood $row --pid $pid --seconds $secs >> $out 2>&1
  sleep 1
  after=$(wc -l < $d/node.log)
  alive=$(kill -0 $pid 2>/dev/null && echo alive || echo DEAD)
  echo "log lines during the row: $((after - before)); node $alive; warnings: $(awk -v b=$before 'NR>b' $d/node.log | grep -c ' warn:')" >> $out
  kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null
  rm -rf "$d"
done
