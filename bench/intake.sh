#!/usr/bin/env bash
# bench/intake.sh — alert intake benchmark: Alertmanager (reference) vs `rbx serve`.
#
# Drives POST /api/v2/alerts (Alertmanager v2 postable-alert JSON arrays) with wrk and prints,
# per target and scenario: req/s, alerts/s, p50/p99 latency, target CPU seconds, peak RSS;
# then RSS per stored alert, (rbx only) alert POST -> first step process latency, and
# rbx/alertmanager ratios. Linux only (/proc, taskset).
#
# Usage:   bench/intake.sh                      # Alertmanager only
#          (builds rbx with `swift build -c release --static-swift-stdlib` into .build-release/
#          unless RBX names a binary; RBX=skip measures Alertmanager alone)
# Env (defaults in brackets):
#   RBX            rbx binary; unset = build it; "skip" = Alertmanager only            []
#   RBX_TOKEN      bearer token (exported to rbx; wrk/clients send it to both)     [bench-token]
#   AM_BIN         Alertmanager binary      [prometheus-alertmanager or alertmanager on PATH]
#   TARGETS        which targets to run                                  [alertmanager rbx]
#   SCENARIOS      b<batch>-<distinct|dup> list  [b1-distinct b1-dup b100-distinct b100-dup]
#   DURATION       wrk duration per scenario                                            [10s]
#   WARMUP         wrk warm-up before each measured run (0 = none; not measured)        [2s]
#   CONNECTIONS    wrk connections                                                      [16]
#   THREADS        wrk threads                                                           [1]
#   CORES          cpu list the target is pinned to (taskset -c)                         [0]
#   WRK_CORES      cpu list for wrk and the python clients       [all online cpus not in CORES]
#   STORE_N        distinct alerts for the RSS-per-stored-alert test (0 = skip)      [200000]
#   STORE_BATCH    alerts per request in that test                                     [500]
#   SETTLE         seconds to wait before reading RSS in that test                       [3]
#   LATENCY_N      alerts for POST->step latency (rbx only; 0 = skip)                   [1000]
#   FLOOR          1 = also measure rbx's HTTP floor: GET /healthz and a POST refused   [1]
#                  with 401 (no body read, no store), the most any intake could reach
#   LATENCY_RATE   latency probes per second, on a fixed schedule (issue 17: 50/s)        [50]
#   AM_PORT/RBX_PORT  listen ports on 127.0.0.1                              [19193/19194]
#   OUT            dir for raw wrk outputs, target logs, results.tsv   [mktemp -d; kept, printed]
#   KEEP           1 = keep the temporary work dir (stores, logs, catalogs)               [0]
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
LUA="$HERE/lua/post_alerts.lua"

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
CORES=${CORES:-0}
WRK_CORES=${WRK_CORES:-}
SCENARIOS=${SCENARIOS:-"b1-distinct b1-dup b100-distinct b100-dup"}
STORE_N=${STORE_N:-200000}
STORE_BATCH=${STORE_BATCH:-500}
SETTLE=${SETTLE:-3}
LATENCY_N=${LATENCY_N:-1000}
LATENCY_RATE=${LATENCY_RATE:-50}
FLOOR=${FLOOR:-1}
AM_PORT=${AM_PORT:-19193}
RBX_PORT=${RBX_PORT:-19194}
RBX=${RBX:-}
RBX_TOKEN=${RBX_TOKEN:-bench-token}
export RBX_TOKEN
TARGETS=${TARGETS:-"alertmanager rbx"}
KEEP=${KEEP:-0}
AM_BIN=${AM_BIN:-$(command -v prometheus-alertmanager || command -v alertmanager || true)}

die()  { echo "intake.sh: error: $*" >&2; exit 1; }
warn() { echo "intake.sh: warning: $*" >&2; }
log()  { echo "# $*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found (${2:-install it})"; }

# ---------------------------------------------------------------- preflight
[ -r /proc/self/stat ] || die "needs Linux /proc"
need wrk "apt-get install wrk"
need taskset "apt-get install util-linux"
need curl "apt-get install curl"
need python3 "apt-get install python3"
need awk
[ -r "$LUA" ] || die "missing $LUA"

want_am=0; want_rbx=0
for t in $TARGETS; do
  case $t in
    alertmanager) want_am=1 ;;
    rbx) if [ "$RBX" != skip ]; then want_rbx=1; else log "RBX=skip: skipping rbx"; fi ;;
    *) die "unknown target '$t' (alertmanager|rbx)" ;;
  esac
done
if [ $want_am = 1 ]; then
  [ -n "$AM_BIN" ] && [ -x "$AM_BIN" ] || die "Alertmanager binary not found (apt-get install prometheus-alertmanager, or set AM_BIN)"
fi
if [ $want_rbx = 1 ] && [ -z "$RBX" ]; then
  need swift "install a Swift toolchain, or set RBX=/path/to/rbx"
  REPO=$(cd "$HERE/.." && pwd)
  build=(swift build -c release --product rbx --static-swift-stdlib --scratch-path "$REPO/.build-release")
  log "building rbx: ${build[*]}"
  (cd "$REPO" && "${build[@]}" >&2) || die "building rbx failed"
  RBX="$(cd "$REPO" && "${build[@]}" --show-bin-path)/rbx"
fi
if [ $want_rbx = 1 ]; then
  [ -x "$RBX" ] || die "RBX=$RBX is not an executable file"
  [ "$LATENCY_N" = 0 ] || need gcc "apt-get install gcc (needed to build stamp.c; or LATENCY_N=0)"
fi
[ $want_am = 1 ] || [ $want_rbx = 1 ] || die "no targets to run"
for s in $SCENARIOS; do
  [[ $s =~ ^b[0-9]+-(distinct|dup)$ ]] || die "bad scenario '$s' (want b<batch>-distinct|dup)"
done

CLK_TCK=$(getconf CLK_TCK)
# wrk cores default: every online cpu not in CORES
if [ -z "$WRK_CORES" ]; then
  WRK_CORES=$(python3 - "$CORES" <<'EOF'
import os, sys
def parse(s):
    out = set()
    for part in s.split(","):
        if "-" in part:
            a, b = part.split("-"); out.update(range(int(a), int(b) + 1))
        elif part:
            out.add(int(part))
    return out
rest = sorted(os.sched_getaffinity(0) - parse(sys.argv[1]))
print(",".join(map(str, rest)))
EOF
)
  if [ -z "$WRK_CORES" ]; then
    warn "no cpu left for wrk besides CORES=$CORES; sharing it"
    WRK_CORES=$CORES
  fi
fi
taskset -c "$CORES" true 2>/dev/null || die "invalid CORES=$CORES"
CORE_LIST=$(python3 -c '
import sys
out = []
for part in sys.argv[1].split(","):
    if "-" in part:
        a, b = part.split("-"); out += range(int(a), int(b) + 1)
    elif part:
        out.append(int(part))
print(",".join(map(str, out)))' "$CORES")
NCORES=$(awk -F, '{ print NF }' <<< "$CORE_LIST")
taskset -c "$WRK_CORES" true 2>/dev/null || die "invalid WRK_CORES=$WRK_CORES"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rbx-intake.XXXXXX")
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/rbx-intake-results.XXXXXX")}
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
printf 'target\tscenario\treq_s\talerts_s\tp50_ms\tp99_ms\tcpu_s\tcpu_us_per_alert\tpeak_rss_mb\terrors\trequests\tcpu_util_pct\twrk_util_pct\tother_on_target_cores_pct\n' > "$RESULTS"

TPID=""     # pid of the running target
TURL=""
cleanup() {
  local rc=$?
  if [ -n "$TPID" ] && kill -0 "$TPID" 2>/dev/null; then
    kill "$TPID" 2>/dev/null || true
    wait "$TPID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- /proc helpers
cpu_ticks() {  # utime+stime+cutime+cstime of PID (all threads)
  awk '{ sub(/.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat"
}
core_busy_ticks() {  # busy (non-idle, non-iowait) ticks summed over the target cores
  awk -v list=",$CORE_LIST," '$1 ~ /^cpu[0-9]+$/ && index(list, "," substr($1, 4) ",") {
      for (i = 2; i <= NF; i++) if (i != 5 && i != 6) b += $i } END { print b + 0 }' /proc/stat
}
status_kb() {  # PID FIELD  -> value in kB (VmRSS, VmHWM)
  awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# ---------------------------------------------------------------- targets
wait_ready() {  # URL PID LOGFILE
  local i code
  for i in $(seq 1 200); do
    kill -0 "$2" 2>/dev/null || { tail -n 20 "$3" >&2; die "target exited during startup (log: $3)"; }
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" || true)
    if [ "$code" != "000" ] && [ -n "$code" ]; then return 0; fi
    sleep 0.1
  done
  tail -n 20 "$3" >&2
  die "target not answering on $1 after 20s (log: $3)"
}

start_alertmanager() {  # RUNNAME
  local d="$WORK/am-$1"
  mkdir -p "$d/data"
  cat > "$d/am.yml" <<'EOF'
route:
  receiver: blackhole
receivers:
  - name: blackhole
EOF
  taskset -c "$CORES" "$AM_BIN" --config.file="$d/am.yml" --storage.path="$d/data" \
    --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= \
    --log.level=warn > "$OUT/log-alertmanager-$1.txt" 2>&1 &
  TPID=$!
  TURL="http://127.0.0.1:$AM_PORT"
  wait_ready "$TURL/-/ready" "$TPID" "$OUT/log-alertmanager-$1.txt"
}

###############################################################################
# RBX CATALOG GENERATION — the only place that knows rbx's catalog format.
#   gen_rbx_catalog DIR intake                   store + a runbook no bench alert matches
#   gen_rbx_catalog DIR latency STAMP_BIN STAMP_FILE
#                                                store + runbooks/latency.yaml whose first
#                                                step runs `STAMP_BIN {{alert.labels.seq}}`
#                                                for alerts with alertname=RbxLatency
###############################################################################
gen_rbx_catalog() {
  local dir=$1 mode=$2
  mkdir -p "$dir/runbooks"
  cat > "$dir/rbx.yaml" <<EOF
apiVersion: rbx/v1
kind: Config
store: sqlite:$dir/rbx.sqlite
evidence:
  dir: $dir/evidence
EOF
  case $mode in
    intake)
      # Matches nothing the intake benchmark sends, so workers claim each alert, find no
      # runbook and mark it handled: the whole intake path, no processes.
      cat > "$dir/runbooks/noop.yaml" <<'EOF'
apiVersion: rbx/v1
kind: Runbook
metadata:
  name: noop
match:
  labels:
    alertname: NeverSentByBench
steps:
  - id: noop
    kind: diagnostic
    run: ["true"]
EOF
      ;;
    latency)
      local stamp=$3
      cat > "$dir/runbooks/latency.yaml" <<EOF
apiVersion: rbx/v1
kind: Runbook
metadata:
  name: latency
match:
  labels:
    alertname: RbxLatency
steps:
  - id: stamp
    kind: diagnostic
    run: ["$stamp", "{{alert.labels.seq}}"]
EOF
      ;;
    *) die "gen_rbx_catalog: unknown mode $mode" ;;
  esac
}
###############################################################################

start_rbx() {  # RUNNAME [catalog-mode args...]
  local d="$WORK/rbx-$1" lf="$OUT/log-rbx-$1.txt"; shift
  mkdir -p "$d"
  gen_rbx_catalog "$d/catalog" "${@:-intake}"
  taskset -c "$CORES" "$RBX" serve --catalog "$d/catalog" --listen "127.0.0.1:$RBX_PORT" \
    > "$lf" 2>&1 &
  TPID=$!
  TURL="http://127.0.0.1:$RBX_PORT"
  wait_ready "$TURL/" "$TPID" "$lf"
}

port_free() {  # PORT -> fail if something already answers there
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$1/" || true)
  [ "$code" = "000" ] || [ -z "$code" ] || die "127.0.0.1:$1 is already in use (set AM_PORT/RBX_PORT)"
}

start_target() {  # TARGET RUNNAME [args]
  local t=$1; shift
  case $t in alertmanager) port_free "$AM_PORT" ;; rbx) port_free "$RBX_PORT" ;; esac
  case $t in
    alertmanager) start_alertmanager "$@" ;;
    rbx) start_rbx "$@" ;;
  esac
  # the pid we measure must be the server itself (taskset execs it)
  [ -r "/proc/$TPID/stat" ] || die "no /proc/$TPID"
}

stop_target() {
  [ -n "$TPID" ] || return 0
  kill "$TPID" 2>/dev/null || true
  local i
  for i in $(seq 1 50); do kill -0 "$TPID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$TPID" 2>/dev/null && kill -9 "$TPID" 2>/dev/null || true
  wait "$TPID" 2>/dev/null || true
  TPID=""
}

# ---------------------------------------------------------------- scenarios
declare -A R   # R[target|scenario|field]

run_scenario() {  # TARGET SCENARIO
  local t=$1 s=$2 batch mode raw c0 c1 b0 b1 hwm line
  batch=${s#b}; batch=${batch%%-*}; mode=${s#*-}
  start_target "$t" "$s"
  if [ "$WARMUP" != 0 ]; then
    BATCH=$batch MODE=$mode TOKEN=$RBX_TOKEN RUNID=warm- taskset -c "$WRK_CORES" \
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$LUA" "$TURL" > "$OUT/warmup-$t-$s.txt" 2>&1 \
      || die "wrk warm-up failed ($OUT/warmup-$t-$s.txt)"
  fi
  raw="$OUT/wrk-$t-$s.txt"
  c0=$(cpu_ticks "$TPID"); b0=$(core_busy_ticks)
  local TIMEFORMAT='%U %S' wcpu wrc=0
  { time BATCH=$batch MODE=$mode TOKEN=$RBX_TOKEN RUNID=run- taskset -c "$WRK_CORES" \
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LUA" "$TURL" > "$raw" 2>&1 \
      || wrc=$?; } 2> "$OUT/wrkcpu-$t-$s.txt"
  [ "$wrc" = 0 ] || { cat "$raw" >&2; die "wrk failed with status $wrc ($raw)"; }
  c1=$(cpu_ticks "$TPID"); b1=$(core_busy_ticks)
  wcpu=$(awk '{ print $1 + $2 }' "$OUT/wrkcpu-$t-$s.txt")
  hwm=$(status_kb "$TPID" VmHWM)
  kill -0 "$TPID" 2>/dev/null || die "$t died during $s"
  stop_target
  line=$(grep '^RESULT ' "$raw") || die "no RESULT line in $raw"
  # shellcheck disable=SC2086
  awk -v t="$t" -v s="$s" -v c0="$c0" -v c1="$c1" -v tck="$CLK_TCK" -v hwm="$hwm" -v wcpu="$wcpu" -v b0="$b0" -v b1="$b1" -v nc="$NCORES" '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END {
      sec = v["duration_us"] / 1e6; req = v["requests"]; alerts = req * v["batch"]
      cpu = (c1 - c0) / tck
      other = 100 * ((b1 - b0) - (c1 - c0)) / tck / sec / nc; if (other < 0) other = 0
      err = v["err_connect"] + v["err_read"] + v["err_write"] + v["err_status"] + v["err_timeout"]
      printf "%s\t%s\t%.1f\t%.1f\t%.3f\t%.3f\t%.2f\t%.2f\t%.1f\t%d\t%d\t%.0f\t%.0f\t%.0f\n", t, s,
        req / sec, alerts / sec, v["p50_us"] / 1000, v["p99_us"] / 1000, cpu,
        (alerts > 0 ? cpu * 1e6 / alerts : 0), hwm / 1024, err, req, 100 * cpu / sec, 100 * wcpu / sec, other
    }' <<< "$line" >> "$RESULTS"
  local row; row=$(tail -n 1 "$RESULTS")
  [ "$(cut -f1,2 <<< "$row")" = "$t"$'\t'"$s" ] || die "could not parse wrk output $raw"
  local errs reqs; errs=$(cut -f10 <<< "$row"); reqs=$(cut -f11 <<< "$row")
  if [ "$errs" -gt 0 ]; then warn "$t $s: $errs errors / $reqs requests (see $raw)"; fi
  local wutil; wutil=$(cut -f13 <<< "$row")
  if [ "$wutil" -ge 90 ]; then warn "$t $s: wrk used ${wutil}% of a cpu: client-bound, figures understate the target"; fi
  log "$(tr '\t' ' ' <<< "$row")"
}

run_store() {  # TARGET  -> RSS per stored alert
  local t=$1 r0 r1 h
  start_target "$t" store
  taskset -c "$WRK_CORES" python3 "$HERE/fill.py" "$TURL" 100 --token "$RBX_TOKEN" --prefix warm- >/dev/null
  sleep "$SETTLE"
  r0=$(status_kb "$TPID" VmRSS)
  taskset -c "$WRK_CORES" python3 "$HERE/fill.py" "$TURL" "$STORE_N" --batch "$STORE_BATCH" \
    --token "$RBX_TOKEN" > "$OUT/store-$t.txt" 2>&1 || { cat "$OUT/store-$t.txt" >&2; die "$t store fill failed"; }
  sleep "$SETTLE"
  r1=$(status_kb "$TPID" VmRSS); h=$(status_kb "$TPID" VmHWM)
  stop_target
  R[$t|store|before]=$r0; R[$t|store|after]=$r1; R[$t|store|hwm]=$h
  R[$t|store|per]=$(awk -v a="$r0" -v b="$r1" -v n="$STORE_N" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')
  log "$t store: VmRSS ${r0}kB -> ${r1}kB over $STORE_N alerts = ${R[$t|store|per]} B/alert"
}

run_latency() {  # rbx only
  local sb="$WORK/stamp" sf="$WORK/stamps.txt"
  gcc -O2 -o "$sb" "$HERE/stamp.c" -DSTAMP_DEFAULT_FILE="\"$sf\"" || die "gcc stamp.c failed"
  : > "$sf"
  export STAMP_FILE="$sf"
  start_target rbx latency latency "$sb" "$sf"
  taskset -c "$WRK_CORES" python3 "$HERE/latency.py" "$TURL" "$sf" --n "$LATENCY_N" \
    --token "$RBX_TOKEN" --rate "$LATENCY_RATE" > "$OUT/latency-rbx.txt" 2>&1 || true
  stop_target
  unset STAMP_FILE
  cat "$OUT/latency-rbx.txt" >&2
  R[rbx|latency]=$(grep '^LATENCY ' "$OUT/latency-rbx.txt" || echo "LATENCY failed (see $OUT/latency-rbx.txt)")
  R[rbx|latency-targets]=$(grep '^TARGET ' "$OUT/latency-rbx.txt" | sed 's/^TARGET /  /' || true)
}

run_floor() {  # rbx only: what Hummingbird answers per second with (almost) no rbx code behind it
  local raw
  start_target rbx floor
  raw="$OUT/floor-healthz.txt"
  taskset -c "$WRK_CORES" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$TURL/healthz" > "$raw" 2>&1 \
    || die "wrk failed ($raw)"
  R[rbx|floor|get]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$raw")
  raw="$OUT/floor-401.txt"
  BATCH=1 MODE=distinct TOKEN=wrong-token RUNID=floor- taskset -c "$WRK_CORES" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$LUA" "$TURL" > "$raw" 2>&1 || die "wrk failed ($raw)"
  R[rbx|floor|401]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$raw")
  stop_target
  log "rbx floor: GET /healthz ${R[rbx|floor|get]} req/s, POST refused 401 ${R[rbx|floor|401]} req/s"
}

# ---------------------------------------------------------------- main
{
  echo "# rbx intake benchmark  $(date -u +%FT%TZ)"
  echo "# host: $(nproc) cpus ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), kernel $(uname -r), load avg $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# target cores=$CORES  wrk cores=$WRK_CORES  wrk -t$THREADS -c$CONNECTIONS -d$DURATION (warm-up $WARMUP)"
  [ $want_am = 1 ] && echo "# alertmanager: $AM_BIN ($("$AM_BIN" --version 2>&1 | head -n 1))"
  [ $want_rbx = 1 ] && echo "# rbx: $RBX ($("$RBX" --version 2>&1 | head -n 1 || true))"
  echo "# raw outputs: $OUT"
} | tee "$OUT/header.txt"

targets=()
[ $want_am = 1 ] && targets+=(alertmanager)
[ $want_rbx = 1 ] && targets+=(rbx)

for t in "${targets[@]}"; do
  for s in $SCENARIOS; do run_scenario "$t" "$s"; done
  [ "$STORE_N" = 0 ] || run_store "$t"
done
[ $want_rbx = 1 ] && [ "$LATENCY_N" != 0 ] && run_latency
[ $want_rbx = 1 ] && [ "$FLOOR" = 1 ] && run_floor

# ---------------------------------------------------------------- report
echo
printf '%-13s %-14s %10s %11s %9s %9s %7s %5s %9s %9s %6s %5s %5s\n' \
  target scenario 'req/s' 'alerts/s' 'p50 ms' 'p99 ms' 'cpu s' 'util' 'cpu us/a' 'peakRSS' errors 'wrk' 'other'
tail -n +2 "$RESULTS" | while IFS=$'\t' read -r t s rq al p50 p99 cpu cpa hwm err _ util wutil other; do
  printf '%-13s %-14s %10s %11s %9s %9s %7s %4s%% %9s %7sMB %6s %4s%% %4s%%\n' "$t" "$s" "$rq" "$al" "$p50" "$p99" "$cpu" "$util" "$cpa" "$hwm" "$err" "$wutil" "$other"
done
echo "(util, wrk: cpu time of target / of wrk over wall time, 100% = one core busy; cpu us/a: target cpu per"
echo " alert; other: busy time on the target cores not charged to the target (noise + softirq), per core)"

if [ "$STORE_N" != 0 ]; then
  echo
  printf 'RSS per stored alert (%d distinct alerts, batch %d):\n' "$STORE_N" "$STORE_BATCH"
  for t in "${targets[@]}"; do
    printf '  %-13s VmRSS %7d kB -> %8d kB  (peak %8d kB)  = %6d B/alert\n' "$t" \
      "${R[$t|store|before]}" "${R[$t|store|after]}" "${R[$t|store|hwm]}" "${R[$t|store|per]}"
  done
fi

if [ $want_rbx = 1 ] && [ "$LATENCY_N" != 0 ]; then
  echo
  echo "alert POST -> first step process started (rbx): ${R[rbx|latency]}"
  [ -n "${R[rbx|latency-targets]:-}" ] && echo "${R[rbx|latency-targets]}"
fi

if [ $want_rbx = 1 ] && [ "$FLOOR" = 1 ]; then
  echo
  echo "rbx HTTP floor (same core, wrk -c$CONNECTIONS): GET /healthz ${R[rbx|floor|get]} req/s;" \
    "POST /api/v2/alerts refused with 401 before its body is read ${R[rbx|floor|401]} req/s"
fi

if [ $want_am = 1 ] && [ $want_rbx = 1 ]; then
  echo
  echo "ratios rbx/alertmanager (req/s, alerts/s: >1 = rbx faster; p50, p99, cpu/alert, peak RSS: <1 = rbx better)"
  printf '  %-14s %8s %8s %8s %8s %9s %8s\n' scenario 'req/s' 'alerts/s' p50 p99 'cpu/alert' peakRSS
  for s in $SCENARIOS; do
    awk -F'\t' -v s="$s" '
      $2 == s { for (i = 3; i <= 9; i++) v[$1, i] = $i }
      function r(i) { return (v["alertmanager", i] > 0 ? sprintf("%.2f", v["rbx", i] / v["alertmanager", i]) : "n/a") }
      END { if (("rbx", 3) in v && ("alertmanager", 3) in v)
              printf "  %-14s %8s %8s %8s %8s %9s %8s\n", s, r(3), r(4), r(5), r(6), r(8), r(9) }' "$RESULTS"
  done
  if [ "$STORE_N" != 0 ]; then
    awk -v a="${R[alertmanager|store|per]}" -v b="${R[rbx|store|per]}" \
      'BEGIN { printf "  %-14s %s\n", "RSS/alert", (a > 0 ? sprintf("%.2f", b / a) : "n/a") }'
  fi
fi
echo
echo "results: $RESULTS"
