#!/usr/bin/env python3
"""Alert POST -> first runbook step process started, measured with `stamp`.

Posts N alerts one at a time (each with a distinct label seq=<i>) to URL/api/v2/alerts with a
bearer token. time.time_ns() is taken immediately before each request is sent. The runbook step
runs `stamp {{alert.labels.seq}}`, which appends "<seq> <CLOCK_REALTIME ns>" to STAMP_FILE.
Afterwards waits for all N stamps and prints p50/p99 of (stamp - send) in ms.

usage: latency.py URL STAMP_FILE [--n 200] [--token T] [--interval 0.05 | --rate 50] [--timeout 60]
                  [--alertname RbxLatency] [--serial]
--rate R: send alert i at start + i/R seconds (an open-loop schedule: a slow answer does not
          slow the rate down), instead of pausing --interval after each answer.
--serial: wait for the stamp of alert i before sending alert i+1 (unloaded latency).
Prints the percentiles, then TARGET lines for issue 17's goal (p50 < 5 ms, p99 < 20 ms)."""
import argparse, http.client, json, os, sys, time, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("url"); ap.add_argument("stamp_file")
ap.add_argument("--n", type=int, default=200)
ap.add_argument("--token", default=os.environ.get("RBX_TOKEN", ""))
ap.add_argument("--interval", type=float, default=0.05, help="pause between posts, seconds")
ap.add_argument("--rate", type=float, default=0.0, help="alerts per second on a fixed schedule (overrides --interval)")
ap.add_argument("--timeout", type=float, default=60.0, help="max wait for stamps after last post")
ap.add_argument("--alertname", default="RbxLatency")
ap.add_argument("--serial", action="store_true")
ap.add_argument("--run", default=str(os.getpid()), help="run id label (keeps label sets unique across runs)")
a = ap.parse_args()

def read_stamps():
    out = {}
    try:
        with open(a.stamp_file) as f:
            for line in f:
                p = line.split()
                if len(p) == 2 and p[0].isdigit():
                    out.setdefault(int(p[0]), int(p[1]))   # first stamp per seq counts
    except FileNotFoundError:
        pass
    return out

def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(q / 100.0 * len(xs) + 0.5)) - 1))]

u = urllib.parse.urlsplit(a.url)
conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
path = (u.path.rstrip("/") or "") + "/api/v2/alerts"
hdr = {"Content-Type": "application/json"}
if a.token:
    hdr["Authorization"] = "Bearer " + a.token

sent = {}
start = time.time()
for i in range(a.n):
    if a.rate > 0:
        wait = start + i / a.rate - time.time()
        if wait > 0:
            time.sleep(wait)
    body = json.dumps([{"labels": {"alertname": a.alertname, "seq": str(i), "run": a.run},
                        "annotations": {"summary": "latency probe %d" % i}}]).encode()
    t = time.time_ns()
    conn.request("POST", path, body, hdr)
    r = conn.getresponse(); data = r.read()
    if r.status != 200:
        sys.exit("latency.py: HTTP %d for seq=%d: %r" % (r.status, i, data[:300]))
    sent[i] = t
    if a.serial:
        dl = time.time() + a.timeout
        while i not in read_stamps():
            if time.time() > dl:
                sys.exit("latency.py: no stamp for seq=%d within %.0fs" % (i, a.timeout))
            time.sleep(0.001)
    if a.rate <= 0 and a.interval > 0:
        time.sleep(a.interval)

deadline = time.time() + a.timeout
while True:
    st = read_stamps()
    if all(i in st for i in sent) or time.time() > deadline:
        break
    time.sleep(0.05)
lat = [(st[i] - sent[i]) / 1e6 for i in sent if i in st]
missing = len(sent) - len(lat)
if not lat:
    sys.exit("latency.py: no stamps in %s" % a.stamp_file)
elapsed = max(time.time() - start, 1e-9)
print("LATENCY n=%d got=%d missing=%d p50_ms=%.2f p99_ms=%.2f min_ms=%.2f max_ms=%.2f rate=%.1f/s"
      % (len(sent), len(lat), missing, pct(lat, 50), pct(lat, 99), min(lat), max(lat), len(sent) / elapsed))
for name, value, goal in (("p50", pct(lat, 50), 5.0), ("p99", pct(lat, 99), 20.0)):
    print("TARGET %s %.2f ms < %.0f ms: %s (%.2fx the goal)"
          % (name, value, goal, "met" if value < goal else "NOT met", value / goal))
sys.exit(1 if missing else 0)
