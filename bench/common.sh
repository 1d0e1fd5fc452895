# bench/common.sh — shared by bench/catalog-load.sh and bench/review.sh (sourced, not run).
# Expects BENCH_DIR, REPO and OUT to be set by the script that sources it.

say() { printf '==> %s\n' "$*" >&2; }
die() { printf '\nFAIL: %s\n' "$*" >&2; exit 2; }

# apt_install PACKAGE...: installs what a benchmark needs (apt-get update once per run).
apt_updated=0
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "missing $*; install it (no apt-get here)"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "missing $*; install it as root (apt-get install $*)"
        sudo=(sudo)
    fi
    if [ "$apt_updated" -eq 0 ]; then
        say "apt-get update"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=1
    fi
    say "apt-get install $*"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# need_gnu_time: peak RSS comes from GNU time's -f %M.
need_gnu_time() {
    [ -x /usr/bin/time ] || apt_install time
    /usr/bin/time -f %M true >/dev/null 2>&1 || die "/usr/bin/time is not GNU time (need -f %M)"
}

# resolve_rbx: sets RBX to an absolute path — the binary RBX names, or the shipped build
# (release, Swift runtime linked statically; see docs/decisions/0002) built into its own
# scratch path, so it never invalidates the debug build in .build/.
resolve_rbx() {
    if [ -n "${RBX:-}" ]; then
        [ -x "$RBX" ] || die "RBX=$RBX is not an executable file"
        RBX="$(cd "$(dirname "$RBX")" && pwd)/$(basename "$RBX")"
        say "using RBX=$RBX"
    else
        command -v swift >/dev/null 2>&1 || die "swift not found; install a Swift toolchain or set RBX=/path/to/rbx"
        local build=(swift build -c release --product rbx --static-swift-stdlib --scratch-path "$REPO/.build-release")
        say "${build[*]}"
        (cd "$REPO" && "${build[@]}")
        RBX="$(cd "$REPO" && "${build[@]}" --show-bin-path)/rbx"
        [ -x "$RBX" ] || die "swift build did not produce $RBX"
    fi
}

# generated_catalog N: prints OUT/catalog-N, generating it with gen_catalog.py unless the one
# there was made for the same N by the same generator (its .bench-stamp says so).
generated_catalog() {
    local n=$1 dir="$OUT/catalog-$1" stamp
    stamp="n=$n gen=$(sha256sum "$BENCH_DIR/gen_catalog.py" | cut -c1-16)"
    if [ -f "$dir/.bench-stamp" ] && [ "$(cat "$dir/.bench-stamp")" = "$stamp" ]; then
        say "reusing $dir"
    else
        say "generating $n runbooks into $dir"
        python3 "$BENCH_DIR/gen_catalog.py" "$n" "$dir" >&2
        printf '%s\n' "$stamp" >"$dir/.bench-stamp"
    fi
    printf '%s\n' "$dir"
}
