#!/usr/bin/env bash
# Throughput of merchant payments through HAProxy with 1, 2 and 3 gateway instances on one
# PostgreSQL primary (with its synchronous standby), all started by bin/cluster on this machine,
# and what each payment costs the database: statements (pg_stat_statements, on the primary) and
# WAL bytes (pg_stat_wal). Prints one line per instance count and a table.
#
#   benchmarks/scale.sh [seconds per run, default 20] [callers, default 16]
#
# Durable commits throughout (fsync, synchronous_commit = on, synchronous standby). The load
# generator runs on the same cores: compare the rows of one run with each other, not with other
# machines.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
callers=${2:-16}
export SCENEBANK_CLUSTER_DIR=${SCENEBANK_CLUSTER_DIR:-$(mktemp -d -t scenebank-scale.XXXXXX)}
export SCENEBANK_CLUSTER_PORT=${SCENEBANK_CLUSTER_PORT:-18000}
export SCENEBANK_CLUSTER_PG_PORT=${SCENEBANK_CLUSTER_PG_PORT:-25432}
export SCENEBANK_RATE_LIMIT_PER_SECOND=1000000 SCENEBANK_RATE_LIMIT_BURST=1000000
export SCENEBANK_PAYMENT_VELOCITY_LIMIT=1000000 SCENEBANK_LOG_LEVEL=WARN
export JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
PG_BIN=/usr/lib/postgresql/15/bin
front="http://localhost:$SCENEBANK_CLUSTER_PORT"

if [[ ! -f benchmarks/target/benchmarks.jar || ! -f gateway/target/scenebank-gateway.jar ]]; then
  ./mvnw -B -q -pl gateway,benchmarks -am package -DskipTests -Dspotless.check.skip
fi
trap 'bin/cluster stop >/dev/null 2>&1 || true' EXIT

as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
sql() {
  PGPASSWORD=$(cat "$SCENEBANK_CLUSTER_DIR/superuser.pw") as_pg "$PG_BIN/psql" -X -q -h 127.0.0.1 \
    -p "$SCENEBANK_CLUSTER_PG_PORT" -U postgres -d scenebank -At -F ' ' -c "$1"
}

rows=()
for n in 1 2 3; do
  bin/cluster stop >/dev/null 2>&1 || true
  bin/cluster start "$n" >/dev/null
  out="$SCENEBANK_CLUSTER_DIR/load-$n.out"
  java -cp benchmarks/target/benchmarks.jar io.scenebank.benchmarks.load.LoadGenerator \
    "$front" "$seconds" "$callers" ed25519 payments >"$out" 2>&1 &
  load=$!
  # count from the start of the measured window (after sign-up, onboarding and warm-up)
  until grep -q 'measuring' "$out" || ! kill -0 "$load" 2>/dev/null; do sleep 0.1; done
  sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  sql "SELECT pg_stat_statements_reset(); SELECT pg_stat_reset_shared('wal')" >/dev/null
  until grep -q '^RESULT' "$out" || ! kill -0 "$load" 2>/dev/null; do sleep 0.1; done
  read -r statements wal <<<"$(sql "SELECT (SELECT sum(calls) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'scenebank'), (SELECT wal_bytes FROM pg_stat_wal)")"
  wait "$load" || true
  result=$(grep '^RESULT' "$out" | head -1)
  [[ -n $result ]] || { cat "$out" >&2; exit 1; }
  requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$result")
  echo "gateways=$n $result statements=$statements wal_bytes=$wal"
  rows+=("$n|$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$result")|$(sed -E 's/.* p50=([0-9.]+).*/\1/' <<<"$result")|$(sed -E 's/.* p99=([0-9.]+).*/\1/' <<<"$result")|$(awk -v s="$statements" -v r="$requests" 'BEGIN{printf "%.1f", s/r}')|$(awk -v w="$wal" -v r="$requests" 'BEGIN{printf "%.0f", w/r}')")
done

echo
echo "| Gateways | Payments/s | p50 ms | p99 ms | Statements/payment | WAL bytes/payment |"
echo "|---:|---:|---:|---:|---:|---:|"
for row in "${rows[@]}"; do
  IFS='|' read -r n rps p50 p99 st wal <<<"$row"
  echo "| $n | $rps | $p50 | $p99 | $st | $wal |"
done
