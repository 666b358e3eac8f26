# Host side (run.sh -k, beside the guest): kill -9 of the demo LUN's owner when the guest asks, then ./iscsi-cluster up.
cd "$ISCSI_CLUSTER_ROOT"
guest_wait kill-owner 300 || exit 1
owner=$(./iscsi-cluster status --json | python3 -c 'import json, sys; print([l for l in json.load(sys.stdin)["payload"]["cluster"]["luns"] if l["tid"] == 1][0]["owner"])')
kill -9 "$(cat ".run/node-$owner/node.pid")" && echo "host: kill -9 node-$owner (the owner) at $(date +%T.%N)"
guest_signal owner-killed
guest_wait restart 300 || exit 1
./iscsi-cluster up >/dev/null && echo "host: node-$owner back at $(date +%T.%N)"
guest_signal restarted
