#!/usr/bin/env bash
# Starts a local 3-master Redis Cluster (no replicas) on loopback ports for the cluster bus's
# tests and bench, in a temp dir, and prints REDIS_CLUSTER_NODES. Reuses one already up.
#   scripts/redis-cluster.sh [first-port]        (default 7101: ports 7101-7103)
#   scripts/redis-cluster.sh stop [first-port]
set -euo pipefail
if [ "${1:-}" = stop ]; then
  first="${2:-7101}"
  for port in "$first" $((first + 1)) $((first + 2)); do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  exit 0
fi
first="${1:-7101}"
ports=("$first" $((first + 1)) $((first + 2)))
nodes="$(printf '127.0.0.1:%s,' "${ports[@]}")"
nodes="${nodes%,}"
up() { redis-cli -p "${ports[0]}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; }
if up; then echo "$nodes"; exit 0; fi
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || {
  echo "FATAL: redis-server and redis-cli are needed for the Redis Cluster (apt-get install redis-server redis-tools)" >&2
  exit 1
}
dir="$(mktemp -d -t pb-redis-cluster.XXXXXX)"
for port in "${ports[@]}"; do
  mkdir -p "$dir/$port"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir/$port" \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
    --save "" --appendonly no --logfile "$dir/$port/redis.log"
done
for _ in $(seq 1 50); do
  ok=1
  for port in "${ports[@]}"; do redis-cli -p "$port" ping >/dev/null 2>&1 || ok=0; done
  [ "$ok" = 1 ] && break
  sleep 0.1
done
redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 || {
  cat "$dir/create.log" >&2
  exit 1
}
for _ in $(seq 1 100); do up && break; sleep 0.1; done
up || { echo "FATAL: the Redis Cluster on ${ports[*]} did not reach cluster_state:ok" >&2; exit 1; }
echo "$nodes"
