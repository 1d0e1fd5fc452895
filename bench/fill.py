#!/usr/bin/env python3
"""Post N distinct alerts (Alertmanager v2 postable-alert JSON arrays) in batches over one
keep-alive connection; exit non-zero unless every request got HTTP 200.
usage: fill.py URL N [--batch 500] [--token T] [--prefix fill-]"""
import argparse, http.client, json, sys, time, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("url"); ap.add_argument("n", type=int)
ap.add_argument("--batch", type=int, default=500)
ap.add_argument("--token", default="")
ap.add_argument("--prefix", default="fill-")
a = ap.parse_args()

u = urllib.parse.urlsplit(a.url)
conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=120)
path = (u.path.rstrip("/") or "") + "/api/v2/alerts"
hdr = {"Content-Type": "application/json"}
if a.token:
    hdr["Authorization"] = "Bearer " + a.token
now = time.time()
starts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
ends = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 3600))
t0, sent = time.time(), 0
while sent < a.n:
    k = min(a.batch, a.n - sent)
    body = json.dumps([{
        "labels": {"alertname": "BenchStore", "job": "bench", "severity": "warning",
                   "instance": "%s%d" % (a.prefix, sent + i)},
        "annotations": {"summary": "intake benchmark alert", "description": "posted by fill.py"},
        "startsAt": starts, "endsAt": ends, "generatorURL": "http://127.0.0.1/bench"}
        for i in range(k)]).encode()
    conn.request("POST", path, body, hdr)
    r = conn.getresponse(); data = r.read()
    if r.status != 200:
        sys.exit("fill.py: HTTP %d after %d alerts: %r" % (r.status, sent, data[:300]))
    sent += k
print("posted=%d seconds=%.2f" % (sent, time.time() - t0))
