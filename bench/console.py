#!/usr/bin/env python3
"""bench/console.py — the console's runs page with 10,000 runs in the store.

Starts `rbx serve` (RBX, default .build-release/release/rbx, else .build/release/rbx) on a
fresh SQLite store with a two-runbook catalog, fills it through the API with N runs (default
10,000; 1 % left open, the rest resolved by resolved_when, each a real /bin/true step), signs in
to the console as a named token, then times R sequential GETs (keep-alive, after a warm-up) of:
  /console/runs                      the page an engineer opens (open incidents + 50 newest)
  /console/runs?label=seq%3D~"1.*"   a label filter (scans runs in batches of 200)
  /console/runs/ID                   one run's page
  /status                            the public status page
and prints time to first byte (p50/p90/p99 ms), total time and size per page, with the target
(p50 TTFB < 50 ms for /console/runs) and the ratio to it. No peer serves this page; the
target is the issue's.

usage: bench/console.py [--runs 10000] [--requests 200] [--port 19195] [--keep]"""
import argparse, http.client, json, os, shutil, subprocess, sys, tempfile, time, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=10000)
ap.add_argument("--requests", type=int, default=200)
ap.add_argument("--port", type=int, default=19195)
ap.add_argument("--keep", action="store_true")
a = ap.parse_args()

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rbx = os.environ.get("RBX") or next(
    (p for p in [repo + "/.build-release/release/rbx", repo + "/.build/release/rbx"] if os.path.exists(p)), None)
if not rbx:
    sys.exit("bench/console.py: build rbx first (swift build -c release) or set RBX=/path/to/rbx")
work = tempfile.mkdtemp(prefix="rbx-console-bench-")
os.makedirs(work + "/runbooks"); os.makedirs(work + "/templates")
open(work + "/rbx.yaml", "w").write(f"""apiVersion: rbx/v1
kind: Config
notifiers:
  pager: {{type: file, path: {work}/pages.log}}
store: sqlite:{work}/state.sqlite
evidence: {{dir: {work}/evidence}}
auth:
  token: "${{RBX_TOKEN}}"
  tokens:
    - {{name: ana, token: "${{TOKEN_ANA}}", as: [lead]}}
server:
  workers: 8
""")
runbook = """apiVersion: rbx/v1
kind: Runbook
metadata: {{name: {name}, title: "{title}"}}
match:
  labels: {{alertname: {alert}}}
steps:
  - id: check
    kind: diagnostic
    run: ["/bin/true"]
{resolved}escalation:
  - after: 30m
    notify: [pager]
"""
open(work + "/runbooks/fixed.yaml", "w").write(runbook.format(
    name="fixed", title="Disk cleaned up", alert="DiskFull", resolved="resolved_when: steps.check.ok\n"))
open(work + "/runbooks/open.yaml", "w").write(runbook.format(
    name="open", title="Service down", alert="ServiceDown", resolved=""))
env = dict(os.environ, RBX_TOKEN="bench-token", TOKEN_ANA="bench-ana")
log = open(work + "/serve.log", "w")
server = subprocess.Popen([rbx, "serve", "--catalog", work, "--listen", f"127.0.0.1:{a.port}", "--log-level",
                           "error"], env=env, stdout=log, stderr=log)

def conn():
    return http.client.HTTPConnection("127.0.0.1", a.port, timeout=60)

def call(method, path, body=None, headers=None, connection=None):
    c = connection or conn()
    h = {"Authorization": "Bearer bench-token", "Content-Type": "application/json"}
    h.update(headers or {})
    c.request(method, path, body=None if body is None else json.dumps(body), headers=h)
    r = c.getresponse()
    data = r.read()
    return r.status, data, r

try:
    for _ in range(200):
        try:
            if call("GET", "/healthz")[0] == 200: break
        except OSError:
            time.sleep(0.05)
    # Fill: N distinct alerts in posts of 100; 1 % go to the runbook that stays open.
    started = time.time()
    c = conn()
    for first in range(0, a.runs, 100):
        batch = [{"labels": {"alertname": "ServiceDown" if i % 100 == 0 else "DiskFull", "seq": str(i),
                             "instance": f"host-{i % 500}:9100", "team": ["sre", "db", "web"][i % 3]}}
                 for i in range(first, min(a.runs, first + 100))]
        status, _, _ = call("POST", "/api/v2/alerts", batch, connection=c)
        assert status == 200, status
    shown = 0
    while True:
        status, data, _ = call("GET", "/readyz")
        depth = json.loads(data).get("queue_depth", -1)
        if depth == 0: break
        if time.time() - shown >= 10:
            print(f"==> filling: {a.runs - depth}/{a.runs} alerts handled ({time.time() - started:.0f} s)",
                  file=sys.stderr)
            shown = time.time()
        time.sleep(0.5)
    time.sleep(2)  # the last runs record their end
    status, data, _ = call("GET", "/api/v1/runs?limit=10000")
    runs = json.loads(data)
    print(f"==> store: {len(runs)} runs ({sum(r['state'] == 'open' for r in runs)} open), "
          f"filled in {time.time() - started:.0f} s", file=sys.stderr)

    # Sign in as a browser does: the form's nonce cookie, then the session cookie.
    c = conn()
    c.request("GET", "/console/login"); r = c.getresponse(); page = r.read().decode()
    nonce = r.getheader("Set-Cookie").split(";")[0]
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    form = urllib.parse.urlencode({"csrf": csrf, "token": "bench-ana", "next": "/console/runs"})
    c.request("POST", "/console/login", body=form,
              headers={"Cookie": nonce, "Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse(); r.read()
    session = [v for k, v in r.getheaders() if k.lower() == "set-cookie" and v.startswith("rbx_session=")]
    assert session, "sign-in failed"
    cookie = session[0].split(";")[0]

    def pct(xs, q):
        xs = sorted(xs); return xs[min(len(xs) - 1, int(q / 100 * len(xs)))]

    pages = [("/console/runs", True), ('/console/runs?label=' + urllib.parse.quote('seq=~"1.*"'), False),
             ("/console/runs/" + runs[len(runs) // 2]["id"], False), ("/status", False)]
    print(f"\nconsole pages, {len(runs)} runs in the store, {a.requests} sequential requests each (keep-alive)")
    print(f"{'page':44} {'ttfb p50':>9} {'p90':>7} {'p99':>7} {'total p50':>10} {'bytes':>8}")
    verdict = 0
    for path, targeted in pages:
        c = conn()
        for _ in range(10):
            c.request("GET", path, headers={"Cookie": cookie}); c.getresponse().read()
        first, total, size = [], [], 0
        for _ in range(a.requests):
            t0 = time.perf_counter()
            c.request("GET", path, headers={"Cookie": cookie})
            r = c.getresponse()
            t1 = time.perf_counter()
            body = r.read()
            t2 = time.perf_counter()
            assert r.status == 200, (path, r.status)
            first.append((t1 - t0) * 1000); total.append((t2 - t0) * 1000); size = len(body)
        shown = path if len(path) <= 44 else path[:41] + "..."
        print(f"{shown:44} {pct(first, 50):8.1f}ms {pct(first, 90):6.1f}ms {pct(first, 99):6.1f}ms "
              f"{pct(total, 50):9.1f}ms {size:8d}")
        if targeted:
            ratio = pct(first, 50) / 50.0
            ok = ratio < 1
            verdict |= 0 if ok else 1
            print(f"{'':44} target p50 TTFB < 50 ms: {pct(first, 50):.1f} ms = {ratio:.2f}x the target "
                  f"{'(met)' if ok else '(MISSED)'}")
    sys.exit(verdict)
finally:
    server.terminate(); server.wait(timeout=30)
    if a.keep: print("==> kept " + work, file=sys.stderr)
    else: shutil.rmtree(work, ignore_errors=True)
