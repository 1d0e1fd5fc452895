#!/usr/bin/env python3
"""Replicas on one PostgreSQL, beside SQLite: intake alerts/s and end-to-end runs/s.

    bench/replicas.py                      # RBX defaults to .build-release/release/rbx
    RBX=/path/to/rbx REPLICAS="1 2 3" bench/replicas.py

For each configuration (SQLite with one rbx serve; PostgreSQL with 1, 2 and 3 replicas of rbx
serve on one database), in one run:

  intake      wrk posts batches of 100 distinct alerts (bench/lua/post_alerts.lua) to every
              replica at once for DURATION; alerts match no runbook, so this is parse, route,
              commit. Figure: alerts/s summed over the replicas.
  end-to-end  E2E_ALERTS distinct alerts, posted round-robin in batches of 100, each starting a
              run of a one-step runbook (`/bin/sh -c 'echo … >> steps.log'`); timed from the
              first POST until every step line is in the file. Figure: runs/s. The file is then
              checked: every alert's line exactly once (no run lost, none doubled).

PostgreSQL is a throwaway cluster started here (initdb as the postgres user when run as root,
127.0.0.1, a free port), with its durable defaults (fsync on, synchronous_commit on): each
rbx commit waits for the WAL flush, as SQLite's commits in rbx are durable against a crash of rbx.
Knobs (environment): RBX, REPLICAS ("1 2 3"), DURATION (10s), E2E_ALERTS (2000), WORKERS (4 per
replica), CONNECTIONS (8 per replica for wrk). Exit: 0 measured and every check passed, 1 a
check failed (a run lost or doubled), 2 setup failed.
"""
import glob, json, os, pwd, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RBX = os.environ.get("RBX") or os.path.join(REPO, ".build-release/release/rbx")
REPLICAS = [int(n) for n in os.environ.get("REPLICAS", "1 2 3").split()]
DURATION = os.environ.get("DURATION", "10s")
E2E_ALERTS = int(os.environ.get("E2E_ALERTS", "2000"))
WORKERS = int(os.environ.get("WORKERS", "4"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "8"))
TOKEN = "bench-token"


def die(message, code=2):
    print("replicas.py: " + message, file=sys.stderr)
    sys.exit(code)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(argv):
    return (["runuser", "-u", "postgres", "--"] + argv) if os.geteuid() == 0 else argv


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1."""

    def __init__(self, work):
        bins = [d for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True) if os.path.exists(d + "/initdb")]
        if not bins:
            die("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.bin, self.dir, self.port = bins[0], os.path.join(work, "pg"), free_port()
        os.makedirs(self.dir)
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(work, pw.pw_uid, pw.pw_gid)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        subprocess.run(as_postgres([self.bin + "/initdb", "-D", self.dir + "/data", "-U", "postgres", "-A", "trust", "--no-instructions"]),
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(as_postgres([self.bin + "/pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/log", "-w", "-o",
                                    "-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200" % (self.port, self.dir), "start"]),
                       check=True, stdout=subprocess.DEVNULL)

    def create(self, name):
        subprocess.run(as_postgres([self.bin + "/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q", "-c",
                                    "CREATE DATABASE %s" % name]), check=True)
        return "postgres://postgres@127.0.0.1:%d/%s?sslmode=disable&pool_size=8" % (self.port, name)

    def stop(self):
        subprocess.run(as_postgres([self.bin + "/pg_ctl", "-D", self.dir + "/data", "-m", "fast", "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def catalog(directory, steps_log):
    os.makedirs(directory + "/runbooks")
    with open(directory + "/rbx.yaml", "w") as f:
        f.write("apiVersion: rbx/v1\nkind: Config\nserver:\n  workers: %d\n" % WORKERS)
    with open(directory + "/runbooks/e2e.yaml", "w") as f:
        f.write("""apiVersion: rbx/v1
kind: Runbook
metadata: {name: e2e}
match: {labels: {alertname: BenchE2E}}
steps:
  - id: record
    kind: diagnostic
    run: ["/bin/sh", "-c", "echo \\"$1\\" >> %s", "sh", "{{alert.labels.instance}}"]
""" % steps_log)


class Replica:
    def __init__(self, catalog_dir, store, log):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        env = dict(os.environ, RBX_TOKEN=TOKEN)
        self.process = subprocess.Popen([RBX, "serve", "--catalog", catalog_dir, "--listen", "127.0.0.1:%d" % self.port,
                                         "--store", store, "--log-level", "warning"], env=env, stdout=log, stderr=log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    die("rbx serve exited with %s (see its log)" % self.process.returncode)
                time.sleep(0.2)
        die("rbx serve did not answer /healthz within 60 s")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def post(url, alerts):
    request = urllib.request.Request(url + "/api/v2/alerts", data=json.dumps(alerts).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(request, timeout=120) as response:
        if response.status != 200:
            die("POST returned %d" % response.status)


def intake(replicas, tag):
    wrks = []
    for index, replica in enumerate(replicas):
        env = dict(os.environ, BATCH="100", MODE="distinct", TOKEN=TOKEN, RUNID="%s-%d-" % (tag, index))
        wrks.append(subprocess.Popen(["wrk", "-t1", "-c%d" % CONNECTIONS, "-d" + DURATION, "-s", HERE + "/lua/post_alerts.lua", replica.url],
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    total = 0.0
    for wrk in wrks:
        output = wrk.communicate()[0]
        result = next((line for line in output.splitlines() if line.startswith("RESULT ")), None)
        if result is None:
            die("wrk printed no RESULT line:\n" + output)
        fields = dict(item.split("=") for item in result.split()[1:])
        errors = sum(int(fields[k]) for k in fields if k.startswith("err_"))
        if errors:
            die("wrk saw %d errors:\n%s" % (errors, output))
        total += int(fields["requests"]) * int(fields["batch"]) / (int(fields["duration_us"]) / 1e6)
    return total


def end_to_end(replicas, steps_log, tag):
    names = ["%s-%d" % (tag, i) for i in range(E2E_ALERTS)]
    start = time.time()
    for batch, offset in enumerate(range(0, E2E_ALERTS, 100)):
        alerts = [{"labels": {"alertname": "BenchE2E", "instance": name}} for name in names[offset:offset + 100]]
        post(replicas[batch % len(replicas)].url, alerts)
    deadline = start + 600
    while time.time() < deadline:
        with open(steps_log) as f:
            lines = f.read().splitlines()
        if len(lines) >= E2E_ALERTS:
            break
        time.sleep(0.05)
    elapsed = time.time() - start
    time.sleep(2)  # late duplicates would show here
    with open(steps_log) as f:
        lines = [line for line in f.read().splitlines() if line.startswith(tag + "-")]
    ok = len(lines) == E2E_ALERTS and set(lines) == set(names)
    return E2E_ALERTS / elapsed, len(lines), len(set(lines)), ok


def main():
    if not os.access(RBX, os.X_OK):
        die("no rbx at %s: build it (swift build -c release --product rbx --static-swift-stdlib --scratch-path .build-release) or set RBX" % RBX)
    if shutil.which("wrk") is None:
        die("wrk not found (apt-get install wrk)")
    work = tempfile.mkdtemp(prefix="rbx-replicas-")
    os.chmod(work, 0o755)
    cluster = Cluster(work)
    rows, failed = [], False
    try:
        configurations = [("sqlite", 1)] + [("postgres", n) for n in REPLICAS]
        for number, (backend, count) in enumerate(configurations):
            directory = os.path.join(work, "run%d" % number)
            steps_log = os.path.join(directory, "steps.log")
            catalog(directory, steps_log)
            open(steps_log, "w").close()
            os.chmod(directory, 0o777)
            store = "sqlite:%s/rbx.sqlite" % directory if backend == "sqlite" else cluster.create("bench%d" % number)
            with open(os.path.join(directory, "serve.log"), "w") as log:
                replicas = [Replica(directory, store, log) for _ in range(count)]
                try:
                    alerts_per_second = intake(replicas, "in%d" % number)
                    runs_per_second, lines, distinct, ok = end_to_end(replicas, steps_log, "e2e%d" % number)
                finally:
                    for replica in replicas:
                        replica.stop()
            failed |= not ok
            rows.append((backend, count, alerts_per_second, runs_per_second, lines, distinct, ok))
            print("# %s x%d: intake %.0f alerts/s, end-to-end %.1f runs/s, %d step lines (%d distinct) %s"
                  % (backend, count, alerts_per_second, runs_per_second, lines, distinct, "ok" if ok else "MISMATCH"), file=sys.stderr)
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print("replicas: %d cpus (%s), load %s, rbx %s" % (os.cpu_count(), model, open("/proc/loadavg").read().split()[0], RBX))
    print("| store | replicas | intake alerts/s (b100 distinct) | end-to-end runs/s | steps run once |")
    print("|---|---|---|---|---|")
    for backend, count, a, r, lines, distinct, ok in rows:
        print("| %s | %d | %.0f | %.1f | %s |" % (backend, count, a, r, "yes" if ok else "NO (%d lines, %d distinct)" % (lines, distinct)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
