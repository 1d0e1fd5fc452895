#!/usr/bin/env bash
# Engine benchmarks (issue 4), all figures from one run on this machine:
#   (a) drill wall time of a runbook with 10 steps and a 4-hour, 10-rung escalation ladder:
#       in process (best of RUNS) and as a whole `rbx drill` process (best of RUNS);
#   (b) real-run overhead: a runbook of 100 `true` steps against 100 bare posix_spawn + wait of
#       /bin/true, per step, alternately in the same process (best of RUNS);
#   (c) peak RSS of the drill process and of the 100-step run.
# Targets: (a) < 50 ms in process, < 150 ms whole process; (b) rbx within 1.5x of bare spawns.
#   bench/engine.sh            RUNS=10 bench/engine.sh
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
RUNS="${RUNS:-7}"
OUT="$BENCH_DIR/out/engine"
say() { printf '==> %s\n' "$*" >&2; }

build=(swift build -c release --static-swift-stdlib --scratch-path "$REPO/.build-release")
say "${build[*]} (rbx and rbx-bench)"
(cd "$REPO" && "${build[@]}" --product rbx >&2 && "${build[@]}" --product rbx-bench >&2)
BIN="$(cd "$REPO" && "${build[@]}" --show-bin-path)"
[ -x /usr/bin/time ] || { say "installing GNU time"; apt-get install -y -qq time >/dev/null; }

rm -rf "$OUT" && mkdir -p "$OUT/runbooks" "$OUT/templates"
cat >"$OUT/rbx.yaml" <<'YAML'
apiVersion: rbx/v1
kind: Config
notifiers:
  oncall: { type: file, path: var/oncall.log }
  lead: { type: file, path: var/lead.log }
YAML
printf 'PAGE {{alert.name}} ({{run.id}})\n' >"$OUT/templates/page.mustache"
printf 'Status of {{alert.name}}\n' >"$OUT/templates/update.mustache"
python3 - "$OUT" <<'PY'
import sys
out = sys.argv[1]
steps = "".join(f"""  - id: step{i}
    kind: diagnostic
    run: [/bin/true, "{{{{alert.labels.instance}}}}"]
    timeout: 10s
""" for i in range(10))
rungs = "".join(f"""  - after: {m}m
    notify: [{'oncall' if i % 2 else 'lead'}]
    template: page
""" for i, m in enumerate([5, 15, 30, 45, 60, 90, 120, 150, 180, 240]))
open(f"{out}/runbooks/ladder.yaml", "w").write(f"""apiVersion: rbx/v1
kind: Runbook
metadata: {{ name: ladder }}
match: {{ labels: {{ alertname: Ladder }} }}
steps:
{steps}resolved_when: alert.resolved
escalation:
{rungs}status:
  on_update: {{ template: update, every: 30m }}
""")
trues = "".join(f"""  - id: t{i}
    kind: diagnostic
    run: [/bin/true]
    timeout: 10s
""" for i in range(100))
open(f"{out}/runbooks/hundred.yaml", "w").write(f"""apiVersion: rbx/v1
kind: Runbook
metadata: {{ name: hundred }}
match: {{ labels: {{ alertname: Hundred }} }}
steps:
{trues}""")
open(f"{out}/alert.json", "w").write('{"labels":{"alertname":"Ladder","instance":"web-1","severity":"critical"}}')
PY
"$BIN/rbx" lint --catalog "$OUT" >&2

say "(a) drill in process, best of $RUNS"
drill_line="$("$BIN/rbx-bench" "$OUT" drill ladder "$OUT/alert.json" "$RUNS")"
echo "    $drill_line" >&2
say "(a) rbx drill as a whole process, best of $RUNS"
drill_process="$(python3 - "$RUNS" "$BIN/rbx" "$OUT" <<'PY'
import subprocess, sys, time
runs, rbx, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
best = None
for i in range(runs + 1):
    start = time.perf_counter()
    rc = subprocess.run([rbx, "drill", "ladder", "--alert", f"{out}/alert.json", "--catalog", out, "--no-evidence"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    elapsed = time.perf_counter() - start
    if i > 0: best = elapsed if best is None else min(best, elapsed)
print(f"{best * 1000:.1f}")
PY
)"
echo "    ${drill_process} ms" >&2
drill_rss="$( { /usr/bin/time -f %M "$BIN/rbx" drill ladder --alert "$OUT/alert.json" --catalog "$OUT" --no-evidence >/dev/null; } 2>&1 | tail -1)"
say "(b) 100 true steps through the engine vs 100 bare posix_spawn, best of $RUNS"
spawn_line="$("$BIN/rbx-bench" "$OUT" spawn hundred "$RUNS")"
echo "    $spawn_line" >&2
spawn_rss="$( { /usr/bin/time -f %M "$BIN/rbx-bench" "$OUT" spawn hundred 1 >/dev/null; } 2>&1 | tail -1)"

in_process="$(sed -n 's/.*best_ms=\([0-9.]*\).*/\1/p' <<<"$drill_line")"
ratio="$(sed -n 's/.*ratio=\([0-9.]*\).*/\1/p' <<<"$spawn_line")"
echo
echo "engine: $(uname -sm), $(nproc) CPU, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "| measure | figure | target |"
echo "|---|---|---|"
echo "| drill, 10 steps + 10-rung 4 h ladder, in process | ${in_process} ms | < 50 ms |"
echo "| the same as a whole \`rbx drill\` process | ${drill_process} ms | < 150 ms |"
echo "| 100 \`true\` steps: per step, rbx vs bare posix_spawn+wait | $(sed -n 's/.*rbx_ms_per_step=\([0-9.]*\).*/\1/p' <<<"$spawn_line") ms vs $(sed -n 's/.*bare_ms_per_spawn=\([0-9.]*\).*/\1/p' <<<"$spawn_line") ms (${ratio}x) | < 1.5x |"
echo "| peak RSS: drill process / 100-step run | $((drill_rss / 1024)) MiB / $((spawn_rss / 1024)) MiB | |"
python3 -c "import sys; sys.exit(0 if $in_process < 50 and $drill_process < 150 and $ratio < 1.5 else 1)" && echo "PASS" || { echo "FAIL"; exit 1; }
