#!/usr/bin/env bash
# Reviewers' commands benchmark: `rbx diff` between two git revisions of a 2,000-runbook catalog
# with 20 changed runbooks, and `rbx test` over the example catalog (the repository root), each
# timed as a whole process; `rbx lint` of the same 2,000 runbooks beside them for scale.
#
#   bench/review.sh                       build rbx, generate, measure, print the table
#   RBX=/path/to/rbx bench/review.sh      use this rbx binary instead of building one
#   RUNS=10 bench/review.sh
#
# Environment:
#   RBX     rbx binary to measure (default: `swift build -c release --static-swift-stdlib`
#           into .build-release/, then .build-release/release/rbx)
#   RUNS    timed repetitions after one warm-up round, best one kept (default 5)
#   N       runbooks in the generated catalog (default 2000; the target is stated for 2,000)
#
# Exit status: 0 every target met; 1 a target missed (or the reformat-only commit is reported as
# a behaviour change); 2 setup failed, `rbx diff` did not report exactly the 20 changed
# runbooks, or `rbx test` failed on the example catalog (then the figures would mean nothing).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
OUT="$BENCH_DIR/out"
RUNS="${RUNS:-5}"
N="${N:-2000}"
CHANGED=20
DIFF_REPO="$OUT/diff-repo"

# Targets (from the project issue).
TARGET_DIFF_S=2.0           # rbx diff of 20 changed runbooks in a 2,000 catalog: under 2 s wall
TARGET_TEST_S=1.0           # rbx test over the example catalog: under 1 s wall

# shellcheck source=bench/common.sh
. "$BENCH_DIR/common.sh"
show() { # show FILE [LINES]: the first lines of a file, indented, and how many there were
    local lines
    lines="$(wc -l <"$1")"
    sed -n "1,${2:-20}p" "$1" | sed 's/^/    /' >&2
    [ "$lines" -le "${2:-20}" ] || printf '    ... (%s lines in %s)\n' "$lines" "$1" >&2
}

# --- prerequisites ---------------------------------------------------------------------------

command -v python3 >/dev/null 2>&1 || apt_install python3
command -v git >/dev/null 2>&1 || apt_install git
command -v tar >/dev/null 2>&1 || apt_install tar
need_gnu_time

# --- build -----------------------------------------------------------------------------------

mkdir -p "$OUT"
resolve_rbx
for sub in diff test lint; do
    "$RBX" "$sub" --help >/dev/null 2>&1 || die "$RBX has no working \`rbx $sub\` (an older build?)"
done

# --- the catalog and its git history -----------------------------------------------------------

CATALOG="$(generated_catalog "$N")"

# The throwaway repository lives under bench/out (git-ignored). Git must never walk up from it
# into the project's own repository, whatever happens to diff-repo/.git.
export GIT_CEILING_DIRECTORIES="$OUT"
# Fixed identity and dates: the same commits every time, whatever the user's git config says.
export GIT_AUTHOR_NAME=rbx-bench GIT_AUTHOR_EMAIL=rbx-bench@localhost
export GIT_COMMITTER_NAME=rbx-bench GIT_COMMITTER_EMAIL=rbx-bench@localhost
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
g() { git -C "$DIFF_REPO" -c commit.gpgsign=false -c core.hooksPath=/dev/null "$@"; }

say "building $DIFF_REPO: the catalog, then $CHANGED changed runbooks, and a reformat-only branch"
rm -rf "$DIFF_REPO"
mkdir -p "$DIFF_REPO"
cp -a "$CATALOG/." "$DIFF_REPO/"
rm -f "$DIFF_REPO/.bench-stamp"
git -c init.defaultBranch=main init -q "$DIFF_REPO"
[ "$(g rev-parse --show-toplevel)" = "$DIFF_REPO" ] || die "git init in $DIFF_REPO did not make its own repository"
g add -A
g commit -q -m "catalog of $N runbooks (bench/gen_catalog.py)"
python3 "$BENCH_DIR/change_catalog.py" changes "$DIFF_REPO" "$CHANGED" >"$OUT/review-changes.txt"
sed 's/^/    /' "$OUT/review-changes.txt" >&2
g commit -q -a -m "change $CHANGED runbooks (bench/change_catalog.py changes)"
g checkout -q -b reformat
python3 "$BENCH_DIR/change_catalog.py" reformat "$DIFF_REPO" >&2
g commit -q -a -m "reformat one runbook (bench/change_catalog.py reformat)"
g checkout -q main
say "$(g log --oneline --all | wc -l) commits; HEAD~1..HEAD touches $(g diff --name-only HEAD~1 HEAD | wc -l) files"

DIFF_CMD=("$RBX" diff HEAD~1 HEAD --catalog "$DIFF_REPO")
REFORMAT_CMD=("$RBX" diff HEAD reformat --catalog "$DIFF_REPO")
LINT_CMD=("$RBX" lint --catalog "$DIFF_REPO")
TEST_CMD=("$RBX" test --catalog "$REPO")

# --- check the outputs before timing them ------------------------------------------------------

say "check: ${DIFF_CMD[*]:1} --format json"
set +e
"${DIFF_CMD[@]}" --format json >"$OUT/review-diff.json" 2>"$OUT/review-diff.err"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    show "$OUT/review-diff.err"; show "$OUT/review-diff.json"
    die "rbx diff exited $rc (output: $OUT/review-diff.json, $OUT/review-diff.err); no numbers"
fi
python3 - "$OUT/review-diff.json" "$OUT/review-changes.txt" "$CHANGED" <<'PY' || { show "$OUT/review-diff.json" 60; die "rbx diff did not report exactly the $CHANGED changed runbooks (full output: $OUT/review-diff.json); the figure would mean nothing"; }
import json, re, sys
report = json.load(open(sys.argv[1]))
expected = {}
for line in open(sys.argv[2]):
    kind, path = re.search(r"change_catalog (\S+) .*file=(\S+)", line).groups()
    expected[path.rsplit("/", 1)[1][:-len(".yaml")]] = kind
got = {r["name"]: r for r in report["runbooks"]}
print(f"    summary: {report['summary']}; probed alerts: {report['probed_alerts']}", file=sys.stderr)
for name, kind in expected.items():
    r = got.get(name)
    if r is None:
        print(f"    {kind:11} {name}: NOT REPORTED", file=sys.stderr)
        continue
    areas = ", ".join(f"{f['area']}/{f['risk']}" for f in r["findings"])
    print(f"    {kind:11} {name}: {r['change']}, {r['risk']} risk ({areas})", file=sys.stderr)
for name in sorted(set(got) - set(expected)):
    print(f"    unexpected: {name} ({got[name]['change']})", file=sys.stderr)
ok = len(report["runbooks"]) == int(sys.argv[3]) and set(got) == set(expected) and not report["catalog"]
sys.exit(0 if ok else 1)
PY

say "check: ${REFORMAT_CMD[*]:1} --format json (a re-indent and reordered keys: no behaviour change)"
set +e
"${REFORMAT_CMD[@]}" --format json >"$OUT/review-reformat.json" 2>"$OUT/review-reformat.err"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    show "$OUT/review-reformat.err"; show "$OUT/review-reformat.json"
    die "rbx diff of the reformat-only commit exited $rc; no numbers"
fi
REFORMAT_CHANGED="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("true" if r["changed"] else "false"); print("    summary: " + r["summary"], file=sys.stderr)' "$OUT/review-reformat.json")"
if [ "$REFORMAT_CHANGED" != false ]; then
    show "$OUT/review-reformat.json" 40
    say "rbx diff reports a behaviour change for a reformat-only commit (full output: $OUT/review-reformat.json)"
fi

say "check: ${LINT_CMD[*]:1}"
"${LINT_CMD[@]}" >"$OUT/review-lint.log" 2>&1 || { show "$OUT/review-lint.log"; die "rbx lint failed on $DIFF_REPO"; }

say "check: ${TEST_CMD[*]:1}"
set +e
"${TEST_CMD[@]}" >"$OUT/review-test.log" 2>&1
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    show "$OUT/review-test.log" 40
    die "rbx test exited $rc on the example catalog (full output: $OUT/review-test.log); no numbers"
fi
TEST_SUMMARY="$(tail -n 1 "$OUT/review-test.log")"
printf '    %s\n' "$TEST_SUMMARY" >&2
TESTS="$(printf '%s\n' "$TEST_SUMMARY" | grep -oE '[0-9]+ tests?' | head -n 1 | grep -oE '[0-9]+' || true)"
[ -n "$TESTS" ] || die "cannot read the number of tests from the last line of rbx test: $TEST_SUMMARY"

# --- measure ---------------------------------------------------------------------------------

# All commands in alternation, round after round, best of each kept: on a shared machine the
# speed drifts within a minute, and figures taken minutes apart would compare the drift.
say "wall time, alternating, best of $RUNS rounds after a warm-up round"
RESULTS="$(mktemp --suffix=.tsv "$OUT/review.XXXXXX")"
# Where rbx diff unpacks revisions: $TMPDIR when set, else /dev/shm when writable, else /tmp
# (CatalogSnapshot.scratchDirectory); the archive row unpacks into the same place.
if [ -n "${TMPDIR:-}" ]; then scratch=$TMPDIR; elif [ -w /dev/shm ]; then scratch=/dev/shm; else scratch=/tmp; fi
ARCHIVE_TMP="$(mktemp -d "$scratch/rbx-bench-archive.XXXXXX")"
trap 'rm -rf "$RESULTS" "$RESULTS.times" "$ARCHIVE_TMP"' EXIT
python3 - "$RUNS" "$RESULTS.times" "$RBX" "$DIFF_REPO" "$REPO" "$ARCHIVE_TMP" "$CATALOG" <<'PY' || die "a command failed during timing"
import resource, subprocess, sys, time
runs, out, rbx, diff_repo, repo, scratch, catalog = int(sys.argv[1]), *sys.argv[2:]
commands = {  # the same commands as DIFF_CMD, REFORMAT_CMD, LINT_CMD and TEST_CMD above
    "diff": [rbx, "diff", "HEAD~1", "HEAD", "--catalog", diff_repo],
    "diff_reformat": [rbx, "diff", "HEAD", "reformat", "--catalog", diff_repo],
    # The same comparison between two directories, no git: the catalog as generated (HEAD~1)
    # and the repository's work tree (HEAD). What rbx itself costs, without unpacking.
    "diff_dirs": [rbx, "diff", catalog, diff_repo],
    "lint": [rbx, "lint", "--catalog", diff_repo],
    "test": [rbx, "test", "--catalog", repo],
    # What rbx diff does for each revision before it loads anything: git archive, then tar -x.
    "archive": ["sh", "-c", 'git -C "$1" archive --format=tar HEAD | tar -xf - -C "$2" && rm -rf "$2"/*',
                "sh", diff_repo, scratch],
}
best, best_cpu = {}, {}
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
for rnd in range(runs + 1):  # round 0 only warms caches
    cells = []
    for key, argv in commands.items():
        cpu0, start = cpu(), time.perf_counter()
        rc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        elapsed, used = time.perf_counter() - start, cpu() - cpu0
        if rc != 0:
            sys.exit(f"{' '.join(argv)} exited with {rc} during timing")
        if rnd > 0:
            best[key] = min(best.get(key, elapsed), elapsed)
            best_cpu[key] = min(best_cpu.get(key, used), used)
        cells.append(f"{key} {elapsed:.3f} ({used:.2f} cpu)")
    print(f"    round {rnd}: " + ", ".join(cells) + " s" + (" (warm-up)" if rnd == 0 else ""), file=sys.stderr)
with open(out, "w") as f:
    for key, value in best.items():
        f.write(f"{key}\t{value:.6f}\t{best_cpu[key]:.3f}\n")
PY

say "peak RSS (/usr/bin/time -f %M)"
rss() { # rss NAME CMD...: peak RSS in KiB of one run
    local name="$1"; shift
    /usr/bin/time -f %M -o "$OUT/review-rss-$name.txt" "$@" >/dev/null 2>&1 || die "$* failed while measuring RSS"
    tail -n 1 "$OUT/review-rss-$name.txt"
}
RSS_DIFF="$(rss diff "${DIFF_CMD[@]}")"
RSS_REFORMAT="$(rss diff_reformat "${REFORMAT_CMD[@]}")"
RSS_LINT="$(rss lint "${LINT_CMD[@]}")"
RSS_TEST="$(rss test "${TEST_CMD[@]}")"
printf '    diff %s KiB, diff (reformat) %s KiB, lint %s KiB, test %s KiB\n' \
    "$RSS_DIFF" "$RSS_REFORMAT" "$RSS_LINT" "$RSS_TEST" >&2

t() { awk -F '\t' -v k="$1" '$1 == k { print $2 "\t" $3 }' "$RESULTS.times"; }  # wall_s, cpu_s
REPORTED="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runbooks"]))' "$OUT/review-diff.json")"
{
    printf 'measure\tcommand\twall_s\tcpu_s\trss_kib\tnote\n'
    printf 'diff_20_changes\t%s\t%s\t%s\t%s of %s runbooks reported changed\n' "rbx diff HEAD~1 HEAD --catalog bench/out/diff-repo" "$(t diff)" "$RSS_DIFF" "$REPORTED" "$N"
    printf 'diff_reformat_only\t%s\t%s\t%s\tchanged=%s\n' "rbx diff HEAD reformat --catalog bench/out/diff-repo" "$(t diff_reformat)" "$RSS_REFORMAT" "$REFORMAT_CHANGED"
    printf 'diff_dirs_no_git\t%s\t%s\t\tsame 20 changes, two directories\n' "rbx diff bench/out/catalog-$N bench/out/diff-repo" "$(t diff_dirs)"
    printf 'lint_same_catalog\t%s\t%s\t%s\t%s runbooks\n' "rbx lint --catalog bench/out/diff-repo" "$(t lint)" "$RSS_LINT" "$N"
    printf 'git_archive_one_side\t%s\t%s\t\tinto %s\n' "git archive HEAD | tar -x" "$(t archive)" "$scratch"
    printf 'test_example_catalog\t%s\t%s\t%s\t%s tests\n' "rbx test --catalog ." "$(t test)" "$RSS_TEST" "$TESTS"
} >"$RESULTS"
rm -f "$RESULTS.times"

# --- report ----------------------------------------------------------------------------------

cp "$RESULTS" "$OUT/review.tsv"

echo
echo "review: $(uname -sm), $(nproc) CPU, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
echo "rbx: $RBX"
echo "rbx test: $TEST_SUMMARY"
echo "rbx diff unpacks revisions under: $scratch ($(df --output=fstype "$scratch" | tail -n 1))"
python3 - "$RESULTS" "$TARGET_DIFF_S" "$TARGET_TEST_S" <<'PY'
import csv, sys
path, diff_t, test_t = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
rows = {r["measure"]: r for r in csv.DictReader(open(path), delimiter="\t")}
head = ["measure", "wall s", "CPU s", "peak RSS MiB", "", "target", "result"]
table, checks = [], []
def row(key, label, target=None, ok=None):
    r = rows[key]
    rss = f"{int(r['rss_kib']) / 1024:.1f}" if r["rss_kib"] else ""
    result = "" if ok is None else ("PASS" if ok else "FAIL")
    if ok is not None:
        checks.append(ok)
    table.append([label, f"{float(r['wall_s']):.3f}", f"{float(r['cpu_s']):.2f}", rss, r["note"], target or "", result])
d = rows["diff_20_changes"]
row("diff_20_changes", "rbx diff, 20 changed runbooks", f"< {diff_t:g} s", float(d["wall_s"]) < diff_t)
row("diff_reformat_only", "rbx diff, reformat-only commit", "no behaviour change",
    rows["diff_reformat_only"]["note"] == "changed=false")
row("diff_dirs_no_git", "rbx diff, same 20 changes, two directories (scale)")
row("lint_same_catalog", "rbx lint, same catalog (scale)")
row("git_archive_one_side", "git archive | tar -x, one side (scale)")
row("test_example_catalog", "rbx test, example catalog", f"< {test_t:g} s", float(rows["test_example_catalog"]["wall_s"]) < test_t)
widths = [max(len(x) for x in col) for col in zip(head, *table)]
fmt = lambda cells: "| " + " | ".join(c.rjust(w) if 0 < i < 4 else c.ljust(w)
                                       for i, (c, w) in enumerate(zip(cells, widths))) + " |"
print(fmt(head))
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in table:
    print(fmt(r))
lint = float(rows["lint_same_catalog"]["wall_s"])
print(f"\nrbx diff / rbx lint of the same catalog: {float(d['wall_s']) / lint:.2f}x")
verdict = "PASS" if all(checks) else "FAIL"
print(f"{verdict}: {sum(checks)}/{len(checks)} target checks met")
sys.exit(0 if all(checks) else 1)
PY
