#!/usr/bin/env bash
# Measures the gateway against the bare Vert.x baseline (io.scenebank.benchmarks.baseline), both
# on one durable PostgreSQL 15, interleaved, and prints a table of figures and ratios.
#
# Usage: benchmarks/compare.sh [--rounds N] [--seconds S] [--callers C] [--one-payer]
#   --rounds N    rounds of the seven runs below (default 2)
#   --seconds S   measured seconds per run, after the load generator's warm-up (default 30)
#   --callers C   load generator callers (default 16)
#   --one-payer   every payments caller pays from the one payer code 289999000000000001
#                 (-Dscenebank.load.onePayer=true, for both servers); default: one payer per caller
#
# Each round runs, each server freshly started and alone while measured: baseline payments,
# gateway payments, gateway care, baseline keys, gateway keys, gateway payments sm2-sm3, baseline
# payments sm2-sm3. For each run: requests/s and latencies (the generator's RESULT line), CPU ms
# per request (user+system of the server process and every PostgreSQL process, from /proc),
# statements per request (pg_stat_statements, that server's database) and commits per request
# (pg_stat_database.xact_commit), each the delta over the measured window divided by its requests.
# One round takes about 7 x (S + S/3 + 15) s.
#
# Needs the jars (built here if missing: ./mvnw -B -q -pl gateway,benchmarks -am package
# -DskipTests) and Debian's postgresql-15 (installed with apt-get if missing). On a machine shared
# with other builds, run it under the build lock, e.g. flock /tmp/scenebank-build.lock
# benchmarks/compare.sh. Everything it starts is stopped and its temporary directory removed at
# exit, Ctrl-C included.
set -euo pipefail

rounds=2
seconds=30
callers=16
one_payer=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --callers) callers=$2; shift 2 ;;
    --one-payer) one_payer=true; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

cd "$(dirname "$0")/.."
GATEWAY_JAR=gateway/target/scenebank-gateway.jar
BENCH_JAR=benchmarks/target/benchmarks.jar
PG_BIN=/usr/lib/postgresql/15/bin

# ---- prerequisites ----
if [[ ! -f $GATEWAY_JAR || ! -f $BENCH_JAR ]]; then
  ./mvnw -B -q -pl gateway,benchmarks -am package -DskipTests
fi
if [[ ! -x $PG_BIN/initdb ]]; then
  apt-get update -qq && apt-get install -y -qq postgresql-15 >/dev/null
fi

# ---- cleanup of everything started here ----
work=$(mktemp -d -t scenebank-compare.XXXXXX)
server_pid=""
loadgen_pid=""
pg_started=false
cleanup() {
  trap - EXIT INT TERM
  for pid in $loadgen_pid $server_pid ${PSQL_PID:-}; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  if $pg_started; then as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# PostgreSQL refuses to run as root: then it runs as the postgres user.
as_pg() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# ---- one durable PostgreSQL, two databases ----
pg_port=$(free_port)
pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
mkdir -p "$work/pg" "$work/run"
[[ $EUID -eq 0 ]] && chown -R postgres "$work"
chmod 755 "$work"
echo "postgres" >"$work/superuser.pw"
[[ $EUID -eq 0 ]] && chown postgres "$work/superuser.pw"
as_pg "$PG_BIN/initdb" -D "$work/pg" -U postgres --pwfile="$work/superuser.pw" -A scram-sha-256 \
  --auth-local=trust -E UTF8 --locale=C >"$work/initdb.log"
cat >>"$work/pg/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$work/run'
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 100
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
pg_stat_statements.max = 10000
EOF
as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/postgres.log" -w start >/dev/null
pg_started=true
psql_admin() {
  as_pg psql -X -q -h "$work/run" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -At "$@"
}
psql_admin -c "CREATE ROLE scenebank LOGIN PASSWORD '$pg_password'" \
  -c "CREATE DATABASE baseline OWNER scenebank" \
  -c "CREATE DATABASE gateway OWNER scenebank" \
  -c "CREATE EXTENSION pg_stat_statements"
pg_main_pid=$(head -1 "$work/pg/postmaster.pid")
database_url() { echo "postgresql://scenebank:$pg_password@127.0.0.1:$pg_port/$1"; }

# ---- measurements ----
# A sample must be quick, for the load is already running when the first is taken: no forks, only
# builtins for /proc and one psql session kept open (about 15 ms on a busy machine).
clock_ticks=$(getconf CLK_TCK)
coproc PSQL { as_pg psql -X -q -h "$work/run" -p "$pg_port" -U postgres -d postgres -At -F ' '; }

# Sets sample_cpu (user+system CPU ticks of the server and of the PostgreSQL postmaster and its
# children) and sample_stmts, sample_commits (of a database).
sample() { # server_pid database
  local stat pid children total=0
  local -a f
  read -r children <"/proc/$pg_main_pid/task/$pg_main_pid/children" || children=""
  for pid in "$1" "$pg_main_pid" $children; do
    read -r stat <"/proc/$pid/stat" 2>/dev/null || continue
    read -r -a f <<<"${stat##*) }"
    total=$((total + f[11] + f[12]))
  done
  echo "SELECT (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = d.oid),
    (SELECT xact_commit FROM pg_stat_database s WHERE s.datid = d.oid)
    FROM pg_database d WHERE datname = '$2';" >&"${PSQL[1]}"
  read -r sample_stmts sample_commits <&"${PSQL[0]}"
  sample_cpu=$total
}

start_server() { # server port
  local log="$work/$1.log"
  if [[ $1 == baseline ]]; then
    DATABASE_URL=$(database_url baseline) BASELINE_PUBLIC_URL="http://localhost:$2" \
      java -cp "$BENCH_JAR" io.scenebank.benchmarks.baseline.BaselineServer "$2" >>"$log" 2>&1 &
  else
    DATABASE_URL=$(database_url gateway) \
      SCENEBANK_HTTP_HOST=127.0.0.1 SCENEBANK_HTTP_PORT="$2" \
      SCENEBANK_PUBLIC_URL="http://localhost:$2" SCENEBANK_DATA_DIR="$work/gateway-data" \
      SCENEBANK_MASTER_KEY="$gateway_master_key" \
      SCENEBANK_RATE_LIMIT_PER_SECOND=100000 SCENEBANK_RATE_LIMIT_BURST=100000 \
      SCENEBANK_PAYMENT_VELOCITY_LIMIT=1000000 SCENEBANK_LOG_LEVEL=WARN \
      java -jar "$GATEWAY_JAR" >>"$log" 2>&1 &
  fi
  server_pid=$!
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "http://localhost:$2/oauth2/jwks"; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "the $1 server did not start; its log:" >&2
  tail -30 "$log" >&2
  exit 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

gateway_master_key=$(head -c 32 /dev/urandom | base64)
results="$work/results"
: >"$results"

# Runs one scenario against a freshly started server; appends a line to $results:
# round server scenario alg rps p50 p90 p99 errors requests cpu_ms_per_req stmts_per_req
# commits_per_req check. The per-request figures are the deltas between a sample when the generator
# starts its measured window ("measuring") and one when it ends it ("RESULT", printed once every
# request of the window has been answered), divided by the window's requests. Statements are
# counted exactly; a busy backend publishes its commit count about once a second, a lag that is at
# both ends of the window and so roughly cancels.
measure() { # round server scenario algorithm
  local round=$1 server=$2 scenario=$3 alg=$4 port out
  port=$(free_port)
  out="$work/run-$round-$server-$scenario-$alg.out"
  : >"$out"
  start_server "$server" "$port"
  java -Dscenebank.load.onePayer="$one_payer" -cp "$BENCH_JAR" \
    io.scenebank.benchmarks.load.LoadGenerator "http://localhost:$port" "$seconds" "$callers" \
    "$alg" "$scenario" >"$out" 2>&1 &
  loadgen_pid=$!
  until grep -q '^measuring' "$out"; do
    kill -0 "$loadgen_pid" 2>/dev/null || { echo "load generator failed:" >&2; tail -20 "$out" >&2; exit 1; }
    sleep 0.02
  done
  sample "$server_pid" "$server"
  local cpu0=$sample_cpu stmts0=$sample_stmts commits0=$sample_commits
  until grep -q '^RESULT' "$out"; do
    kill -0 "$loadgen_pid" 2>/dev/null || { echo "load generator failed:" >&2; tail -20 "$out" >&2; exit 1; }
    sleep 0.02
  done
  sample "$server_pid" "$server"
  local cpu1=$sample_cpu stmts1=$sample_stmts commits1=$sample_commits
  local check=ok
  wait "$loadgen_pid" || check=FAILED
  loadgen_pid=""
  stop_server

  local line
  line=$(grep '^RESULT' "$out")
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  awk -v r="$round" -v s="$server" -v sc="$scenario" -v a="$alg" -v rps="$(field rps)" \
    -v p50="$(field p50)" -v p90="$(field p90)" -v p99="$(field p99)" -v err="$(field errors)" \
    -v n="$(field requests)" -v cpu=$((cpu1 - cpu0)) -v hz="$clock_ticks" \
    -v st=$((stmts1 - stmts0)) -v co=$((commits1 - commits0)) -v ck="$check" \
    'BEGIN { d = n > 0 ? n : 1
             printf "%s %s %s %s %s %s %s %s %s %s %.3f %.2f %.2f %s\n", r, s, sc, a, rps, p50,
               p90, p99, err, n, cpu * 1000 / hz / d, st / d, co / d, ck }' >>"$results"
  tail -1 "$results" | awk '{ printf "  %-8s %-8s %-8s %9s req/s  p50 %6s  p99 %7s ms  %6s CPU ms/req  %5s stmts/req  %5s commits/req  errors %s  check %s\n", $2, $3, $4, $5, $6, $8, $11, $12, $13, $9, $14 }'
}
echo "PostgreSQL 15 on 127.0.0.1:$pg_port (fsync, synchronous_commit, full_page_writes on);" \
  "$rounds round(s) of ${seconds}s runs with $callers callers; one payer: $one_payer"
for round in $(seq 1 "$rounds"); do
  echo "round $round"
  measure "$round" baseline payments ed25519
  measure "$round" gateway payments ed25519
  measure "$round" gateway care ed25519
  measure "$round" baseline keys ed25519
  measure "$round" gateway keys ed25519
  measure "$round" gateway payments sm2-sm3
  measure "$round" baseline payments sm2-sm3
done

# ---- the table: means over the rounds, and the ratios against the targets ----
awk '
  { key = $2 " " $3 " " $4; if (!(key in n)) order[++keys] = key
    n[key]++; rps[key] += $5; p50[key] += $6; p99[key] += $8; cpu[key] += $11; st[key] += $12
    co[key] += $13; err[key] += $9; if ($14 != "ok") bad[key]++ }
  function ratio(a, b, target, what,   r) {
    if (!(a in n) || !(b in n) || rps[b] == 0) return
    r = (rps[a] / n[a]) / (rps[b] / n[b])
    printf "  %-50s %6.2f   target >= %.2f  %s\n", what, r, target, (r >= target ? "met" : "NOT met")
  }
  END {
    printf "\n%-9s %-9s %-8s %9s %8s %8s %12s %10s %12s %7s %6s\n", "scenario", "server", "alg",
      "req/s", "p50 ms", "p99 ms", "CPU ms/req", "stmts/req", "commits/req", "errors", "checks"
    for (i = 1; i <= keys; i++) {
      k = order[i]; split(k, part, " "); m = n[k]
      printf "%-9s %-9s %-8s %9.1f %8.2f %8.2f %12.3f %10.2f %12.2f %7d %6s\n", part[2], part[1],
        part[3], rps[k] / m, p50[k] / m, p99[k] / m, cpu[k] / m, st[k] / m, co[k] / m, err[k],
        bad[k] ? "FAILED" : "ok"
    }
    printf "\nRatios of requests/s (means over the rounds):\n"
    ratio("gateway payments ed25519", "baseline payments ed25519", 0.8, "payments: gateway / baseline")
    ratio("gateway care ed25519", "baseline payments ed25519", 0.8, "care: gateway / baseline payments")
    ratio("gateway keys ed25519", "baseline keys ed25519", 0.9, "signed read (keys): gateway / baseline")
    ratio("gateway payments sm2-sm3", "gateway payments ed25519", 0.7, "gateway payments: sm2-sm3 / ed25519")
    ratio("baseline payments sm2-sm3", "baseline payments ed25519", 0.7, "baseline payments: sm2-sm3 / ed25519 (reference)")
    printf "\np99 of the gateway (target <= 50 ms):\n"
    for (i = 1; i <= keys; i++) {
      k = order[i]; split(k, part, " ")
      if (part[1] == "gateway")
        printf "  %-9s %-8s %8.2f ms  %s\n", part[2], part[3], p99[k] / n[k], (p99[k] / n[k] <= 50 ? "met" : "NOT met")
    }
  }' "$results"
