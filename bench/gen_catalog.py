#!/usr/bin/env python3
"""Generate a large, realistic rbx/v1 catalog for the catalog-load benchmark.

    bench/gen_catalog.py N OUTDIR

writes

    OUTDIR/rbx.yaml                          kind: Config, three file notifiers under var/
    OUTDIR/playbooks/*.yaml                  21 playbooks with typed, patterned inputs
    OUTDIR/templates/*.mustache              5 status/communication templates
    OUTDIR/runbooks/NNN/*.yaml               N runbooks, 500 per subdirectory, 1.5-4 KB each

and prints one machine-readable line:

    gen_catalog runbooks=N files=F yaml_bytes=B runbook_bytes=R dir=OUTDIR

The output is deterministic: runbook i is generated from its own seed ("rbx-bench-<i>"), so the
catalog for 2,000 runbooks is exactly the first 2,000 runbooks of the catalog for 20,000.
Everything written is meant to be valid per docs/format.md: `rbx lint` must report no errors.
Only the standard library is used.
"""

import json
import os
import random
import re
import shutil
import sys

PER_DIR = 500
MIN_SIZE = 1536
MAX_SIZE = 4096

NOTIFIERS = ["secondary-oncall", "team-lead", "incident-commander"]

# --------------------------------------------------------------------------------------------
# YAML emission helpers (hand-written YAML reads like what people write, unlike yaml.dump)

_PLAIN = re.compile(r"^[A-Za-z0-9_./-][A-Za-z0-9_./=@%+:,-]*$")
_PLAIN_BLOCK = re.compile(r"^[A-Za-z0-9_./(-][A-Za-z0-9_./=@%+:,;()' -]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def s(value, flow=False):
    """A scalar: plain when unambiguous, else a JSON (= YAML double-quoted) string."""
    text = str(value)
    plain = (
        (_PLAIN if flow else _PLAIN_BLOCK).match(text)
        and text == text.strip()
        and text.lower() not in _RESERVED
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and not text.startswith("- ")
        and not (flow and ("," in text or ":" in text))
    )
    return text if plain else json.dumps(text)


def flow_list(items):
    return "[" + ", ".join(s(i, flow=True) for i in items) + "]"


def flow_map(pairs):
    return "{ " + ", ".join(f"{k}: {s(v, flow=True)}" for k, v in pairs) + " }"


# --------------------------------------------------------------------------------------------
# Pools

SERVICES = [
    ("payments-api", "payments"), ("checkout", "payments"), ("ledger", "payments"),
    ("billing-worker", "billing"), ("invoice-renderer", "billing"), ("auth-service", "identity"),
    ("session-store", "identity"), ("user-profile", "identity"), ("search-api", "discovery"),
    ("recommendation", "discovery"), ("catalog-sync", "discovery"), ("inventory", "fulfilment"),
    ("order-queue", "fulfilment"), ("shipping-rates", "fulfilment"), ("notifications", "comms"),
    ("email-relay", "comms"), ("sms-gateway", "comms"), ("api-gateway", "edge"),
    ("cdn-edge", "edge"), ("dns-resolver", "netops"), ("load-balancer", "netops"),
    ("postgres-primary", "data"), ("postgres-replica", "data"), ("redis-cache", "data"),
    ("kafka-broker", "streaming"), ("event-router", "streaming"), ("metrics-ingest", "observability"),
    ("log-shipper", "observability"), ("trace-collector", "observability"),
    ("image-resizer", "media"), ("video-transcoder", "media"), ("feature-flags", "platform"),
    ("config-service", "platform"), ("scheduler", "platform"), ("ci-runner", "devex"),
    ("artifact-store", "devex"), ("elasticsearch", "data"), ("fraud-scoring", "risk"),
    ("kyc-verifier", "risk"), ("ledger-reconciler", "payments"),
]

ENV_MATCHERS = ["=~prod|staging", "prod", "=prod", "!=dev", "=~prod-.*", "!~sandbox|dev|test",
                "=~prod|prod-eu|prod-us", "!=staging"]
REGION_MATCHERS = ["=~eu-.*", "=us-east-1", "!=ap-south-1", "=~us-(east|west)-[12]",
                   "!~cn-.*", "=~eu-west-[1-3]"]
CLUSTER_MATCHERS = ["=~k8s-(prod|prd)-[0-9]+", "!~.*-canary", "=~gke-prod-.*", "!=k8s-lab-1",
                    "=~eks-[a-z]+-prod"]
NAMESPACE_MATCHERS = ["!~kube-.*", "!~kube-system|monitoring", "=~apps-.*", "!=default"]
TIER_MATCHERS = ["=~frontend|backend", "=backend", "!=batch", "=~web|api"]

SOURCES = ["prometheus", "alertmanager", "monitor@*", "prom-*", "prometheus-??",
           ["prometheus", "grafana-*"], ["alertmanager", "monitor@*"], "cloudwatch-*",
           "datadog", "zabbix-?"]
SEVERITIES = [">= P2", ">= P2", ">= P3", "> P3", "<= P3", "== P1", "P1", "P2", ["P1", "P2"],
              "critical", "> P2", "< P2"]
COOLDOWNS = ["5m", "10m", "15m", "15m", "30m", "1h", "2h"]
CONCURRENCY = ["{{alert.labels.instance}}", "{{alert.labels.namespace}}/{{alert.labels.pod}}",
               "{{alert.fingerprint}}", "{{alert.labels.service}}",
               "{{alert.labels.cluster}}-{{alert.labels.service}}"]
LINK_HOSTS = ["wiki.example.com/oncall", "grafana.example.com/d", "runbooks.example.com",
              "confluence.example.com/display/SRE"]

# Alert kinds: name, title words, diagnostics, remediation helpers.  Argument lists use
# {svc} for the service name; {{...}} stays literal for rbx to interpolate.
ALERTS = {
    "InstanceDown": "instance down",
    "HighErrorRate": "high error rate",
    "HighLatency": "high latency",
    "DiskSpaceLow": "disk space low",
    "MemoryPressure": "memory pressure",
    "CPUThrottling": "CPU throttling",
    "PodCrashLooping": "pod crash looping",
    "CertificateExpiring": "certificate expiring",
    "ReplicationLag": "replication lag",
    "QueueBacklog": "queue backlog",
    "DNSResolutionFailure": "DNS resolution failure",
    "NodeNotReady": "node not ready",
    "ConnectionPoolExhausted": "connection pool exhausted",
    "DeploymentReplicasMismatch": "deployment replicas mismatch",
    "ConsumerLagHigh": "consumer lag high",
    "CacheHitRateLow": "cache hit rate low",
    "TooManyOpenFiles": "too many open files",
    "BackupMissing": "backup missing",
    "SlowQueries": "slow queries",
    "Http5xxSpike": "HTTP 5xx spike",
}
ALERT_NAMES = list(ALERTS)


def slug(alert):
    return re.sub(r"(?<!^)(?=[A-Z][a-z])", "-", alert).lower().replace("http5xx", "http-5xx")


# Diagnostic step shapes: (id, name, argv, outputs or None, safe)
DIAGNOSTICS = [
    ("health", "Probe the health endpoint",
     ["curl", "-fsS", "--max-time", "5", "http://{{alert.labels.instance}}/healthz"], None, True),
    ("containers", "List the service containers",
     ["docker", "ps", "-a", "--filter", "name={{alert.labels.service}}"], None, True),
    ("pods", "List pods of the deployment",
     ["kubectl", "--context", "{{alert.labels.cluster}}", "-n", "{{alert.labels.namespace}}",
      "get", "pods", "-l", "app={{alert.labels.service}}", "-o", "wide"],
     {"not_ready": r"(\d+) not ready"}, True),
    ("describe", "Describe the failing pod",
     ["kubectl", "-n", "{{alert.labels.namespace}}", "describe", "pod", "{{alert.labels.pod}}"],
     {"reason": r"Reason:\s+(\w+)", "restarts": r"Restart Count:\s+(\d+)"}, True),
    ("logs", "Tail recent logs",
     ["kubectl", "-n", "{{alert.labels.namespace}}", "logs", "{{alert.labels.pod}}", "--since",
      "15m", "--tail", "200"], {"last_error": r"(?m)^.*ERROR (.*)$"}, True),
    ("disk", "Measure disk usage",
     ["df", "-h", "--output=pcent,target", "{{alert.labels.mountpoint}}"],
     {"used_percent": r"(\d+)%"}, True),
    ("largest", "Find the largest directories",
     ["du", "-xh", "--max-depth", "2", "{{alert.labels.mountpoint}}"], None, True),
    ("memory", "Read memory statistics",
     ["curl", "-fsS", "http://{{alert.labels.instance}}/debug/vars"],
     {"heap_mb": r"\"heap_alloc_mb\":\s*(\d+)"}, True),
    ("unit-status", "Check the systemd unit",
     ["systemctl", "--host", "{{alert.labels.node}}", "status", "{{alert.labels.service}}.service"],
     {"active": r"Active: (\w+)"}, True),
    ("journal", "Read the journal",
     ["journalctl", "-u", "{{alert.labels.service}}", "--since", "-30min", "--no-pager", "-n", "300"],
     None, True),
    ("metrics", "Query the error ratio",
     ["curl", "-fsS", "--get", "https://prometheus.example.com/api/v1/query", "--data-urlencode",
      "query=sum(rate(http_requests_total{service=\"{{alert.labels.service}}\",code=~\"5..\"}[5m]))"],
     {"ratio": r"\"value\":\[[0-9.]+,\"([0-9.]+)\"\]"}, True),
    ("latency", "Query p99 latency",
     ["curl", "-fsS", "--get", "https://prometheus.example.com/api/v1/query", "--data-urlencode",
      "query=histogram_quantile(0.99, rate(http_request_duration_seconds_bucket{job=\"{{alert.labels.job}}\"}[5m]))"],
     {"p99": r"\"([0-9.]+)\"\]"}, True),
    ("cert", "Read the certificate dates",
     ["openssl", "x509", "-noout", "-enddate", "-in", "/etc/ssl/{{alert.labels.domain}}.pem"],
     {"not_after": r"notAfter=(.*)"}, True),
    ("replication", "Read replication status",
     ["pg_isready", "-h", "{{alert.labels.instance}}", "-p", "5432"], None, True),
    ("lag", "Measure consumer lag",
     ["kafka-consumer-groups", "--bootstrap-server", "{{alert.labels.instance}}", "--describe",
      "--group", "{{alert.labels.consumer_group}}"], {"lag": r"LAG\s+(\d+)"}, True),
    ("dns", "Resolve the service name",
     ["dig", "+short", "{{alert.labels.service}}.svc.example.internal", "@{{alert.labels.resolver}}"],
     None, True),
    ("node", "Describe the node",
     ["kubectl", "describe", "node", "{{alert.labels.node}}"],
     {"condition": r"Ready\s+(\w+)"}, True),
    ("open-files", "Count open file descriptors",
     ["curl", "-fsS", "http://{{alert.labels.instance}}/metrics"],
     {"fds": r"process_open_fds (\d+)"}, True),
    ("backups", "List recent backups",
     ["aws", "s3", "ls", "s3://backups-{{alert.labels.env}}/{{alert.labels.service}}/", "--recursive"],
     None, True),
    ("slowlog", "Fetch the slow query log",
     ["curl", "-fsS", "http://{{alert.labels.instance}}:9187/slow?limit=20"], None, True),
    ("rollout", "Show rollout history",
     ["kubectl", "-n", "{{alert.labels.namespace}}", "rollout", "history",
      "deployment/{{alert.labels.service}}"], {"revision": r"(?m)^(\d+)\s+\S+\s*$"}, True),
    ("upstream", "Check the upstream dependency",
     ["curl", "-fsS", "-o", "/dev/null", "-w", "%{http_code}",
      "https://{{alert.labels.upstream}}/ping"], {"code": r"(\d{3})"}, False),
    ("connections", "Count database connections",
     ["curl", "-fsS", "http://{{alert.labels.instance}}:9187/metrics"],
     {"active": r"pg_stat_activity_count\{state=\"active\"\} (\d+)"}, True),
    ("cache-stats", "Read cache statistics",
     ["redis-cli", "-h", "{{alert.labels.instance}}", "info", "stats"],
     {"hits": r"keyspace_hits:(\d+)", "misses": r"keyspace_misses:(\d+)"}, True),
]

# What responders typically look at / do for each alert (the rest is drawn from the whole pool,
# so runbooks are coherent but not identical).
RELATED = {
    "InstanceDown": (["health", "containers", "unit-status", "journal"], ["restart-container", "restart-service"]),
    "HighErrorRate": (["metrics", "logs", "rollout", "upstream"], ["rollback-deployment", "rollout-restart"]),
    "HighLatency": (["latency", "upstream", "pods", "connections"], ["scale-deployment", "rollout-restart"]),
    "DiskSpaceLow": (["disk", "largest", "journal"], ["cleanup-logs", "resize-volume", "snapshot-volume"]),
    "MemoryPressure": (["memory", "pods", "describe"], ["capture-heap-dump", "restart-pod"]),
    "CPUThrottling": (["pods", "describe", "latency"], ["scale-deployment"]),
    "PodCrashLooping": (["pods", "describe", "logs", "rollout"], ["rollback-deployment", "restart-pod"]),
    "CertificateExpiring": (["cert", "health"], ["renew-certificate", "reload-config"]),
    "ReplicationLag": (["replication", "connections", "slowlog"], ["failover-database"]),
    "QueueBacklog": (["lag", "pods", "metrics"], ["scale-deployment", "purge-dead-letters"]),
    "DNSResolutionFailure": (["dns", "upstream", "health"], ["reload-config", "restart-service"]),
    "NodeNotReady": (["node", "unit-status", "journal"], ["drain-and-restart-node", "cordon-drain-node"]),
    "ConnectionPoolExhausted": (["connections", "slowlog", "metrics"], ["rollout-restart", "rotate-credentials"]),
    "DeploymentReplicasMismatch": (["pods", "rollout", "describe"], ["rollout-restart", "scale-deployment"]),
    "ConsumerLagHigh": (["lag", "pods", "logs"], ["reset-consumer-group", "scale-deployment"]),
    "CacheHitRateLow": (["cache-stats", "memory", "metrics"], ["flush-cache", "purge-cdn-cache"]),
    "TooManyOpenFiles": (["open-files", "unit-status", "journal"], ["restart-service", "restart-container"]),
    "BackupMissing": (["backups", "journal"], ["snapshot-volume"]),
    "SlowQueries": (["slowlog", "connections", "replication"], ["failover-database", "rotate-credentials"]),
    "Http5xxSpike": (["metrics", "logs", "upstream", "rollout"], ["rollback-deployment", "block-ip", "purge-cdn-cache"]),
}
DIAG_BY_ID = None  # filled after DIAGNOSTICS is defined

# Playbooks: name, summary, inputs {name: (type, required, pattern, default, provider)},
# steps (list of dicts rendered below).  A provider is how runbooks fill the input.
NAME_RE = "^[a-z0-9_.-]+$"
HOST_RE = "^[a-z0-9.-]+(:[0-9]+)?$"
NS_RE = "^[a-z0-9-]{1,63}$"
PLAYBOOKS = [
    ("restart-container", "Restart one Docker container", {
        "container": ("string", True, NAME_RE, None, "{{alert.labels.service}}"),
        "wait": ("duration", False, None, "10s", ["10s", "20s", "30s"]),
    }, [
        ("stop", "remediation", ["docker", "stop", "--time", "20", "{{inputs.container}}"], "60s"),
        ("start", "remediation", ["docker", "start", "{{inputs.container}}"], "60s"),
        ("check", "diagnostic", ["wait-for-container", "{{inputs.container}}", "--within", "{{inputs.wait}}"], None),
    ]),
    ("restart-service", "Restart a systemd unit on one host", {
        "host": ("string", True, HOST_RE, None, "{{alert.labels.node}}"),
        "unit": ("string", True, "^[a-z0-9@_.-]+$", None, "{{alert.labels.service}}.service"),
    }, [
        ("restart", "remediation", ["systemctl", "--host", "{{inputs.host}}", "restart", "{{inputs.unit}}"], "90s"),
        ("active", "diagnostic", ["systemctl", "--host", "{{inputs.host}}", "is-active", "{{inputs.unit}}"], None),
    ]),
    ("rollout-restart", "Restart a Kubernetes deployment", {
        "namespace": ("string", True, NS_RE, None, "{{alert.labels.namespace}}"),
        "deployment": ("string", True, NAME_RE, None, "{{alert.labels.service}}"),
        "context": ("string", False, "^[a-z0-9_.@-]+$", "prod", "{{alert.labels.cluster}}"),
    }, [
        ("restart", "remediation", ["kubectl", "--context", "{{inputs.context}}", "-n", "{{inputs.namespace}}", "rollout", "restart", "deployment/{{inputs.deployment}}"], "2m"),
        ("status", "diagnostic", ["kubectl", "--context", "{{inputs.context}}", "-n", "{{inputs.namespace}}", "rollout", "status", "deployment/{{inputs.deployment}}", "--timeout=5m"], None),
    ]),
    ("rollback-deployment", "Roll a deployment back one revision", {
        "namespace": ("string", True, NS_RE, None, "{{alert.labels.namespace}}"),
        "deployment": ("string", True, NAME_RE, None, "{{alert.labels.service}}"),
        "revision": ("integer", False, "^[0-9]+$", 0, ["0", "0", "{{steps.rollout.outputs.revision}}"]),
    }, [
        ("undo", "remediation", ["kubectl", "-n", "{{inputs.namespace}}", "rollout", "undo", "deployment/{{inputs.deployment}}", "--to-revision={{inputs.revision}}"], "3m"),
        ("status", "diagnostic", ["kubectl", "-n", "{{inputs.namespace}}", "rollout", "status", "deployment/{{inputs.deployment}}"], None),
    ]),
    ("scale-deployment", "Scale a deployment to a fixed replica count", {
        "namespace": ("string", True, NS_RE, None, "{{alert.labels.namespace}}"),
        "deployment": ("string", True, NAME_RE, None, "{{alert.labels.service}}"),
        "replicas": ("integer", True, "^[0-9]{1,3}$", None, ["4", "6", "8", "12"]),
    }, [
        ("scale", "remediation", ["kubectl", "-n", "{{inputs.namespace}}", "scale", "deployment/{{inputs.deployment}}", "--replicas={{inputs.replicas}}"], "60s"),
    ]),
    ("cleanup-logs", "Delete rotated logs older than a cutoff", {
        "host": ("string", True, HOST_RE, None, "{{alert.labels.node}}"),
        "path": ("string", True, "^/[A-Za-z0-9_./-]+$", None, "{{alert.labels.mountpoint}}"),
        "older_than": ("duration", False, None, "7d", ["3d", "7d", "14d"]),
    }, [
        ("list", "diagnostic", ["find-old-logs", "--host", "{{inputs.host}}", "--root", "{{inputs.path}}", "--older-than", "{{inputs.older_than}}"], None),
        ("delete", "remediation", ["delete-old-logs", "--host", "{{inputs.host}}", "--root", "{{inputs.path}}", "--older-than", "{{inputs.older_than}}"], "5m"),
    ]),
    ("cordon-drain-node", "Cordon and drain a Kubernetes node", {
        "node": ("string", True, NAME_RE, None, "{{alert.labels.node}}"),
        "grace": ("duration", False, None, "60s", ["30s", "60s", "2m"]),
    }, [
        ("cordon", "remediation", ["kubectl", "cordon", "{{inputs.node}}"], "30s"),
        ("drain", "remediation", ["kubectl", "drain", "{{inputs.node}}", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout={{inputs.grace}}"], "10m"),
    ]),
    ("renew-certificate", "Renew a TLS certificate through the ACME client", {
        "domain": ("string", True, "^[a-z0-9.-]+$", None, "{{alert.labels.domain}}"),
        "issuer": ("string", False, "^(letsencrypt|internal-ca)$", "letsencrypt", ["letsencrypt", "internal-ca"]),
    }, [
        ("renew", "remediation", ["certbot", "renew", "--cert-name", "{{inputs.domain}}", "--server-profile", "{{inputs.issuer}}", "--non-interactive"], "5m"),
        ("verify", "diagnostic", ["openssl", "x509", "-noout", "-checkend", "2592000", "-in", "/etc/ssl/{{inputs.domain}}.pem"], None),
    ]),
    ("flush-cache", "Flush one Redis database", {
        "host": ("string", True, HOST_RE, None, "{{alert.labels.instance}}"),
        "db": ("integer", False, "^[0-9]{1,2}$", 0, ["0", "1", "2"]),
    }, [
        ("flush", "remediation", ["redis-cli", "-h", "{{inputs.host}}", "-n", "{{inputs.db}}", "flushdb", "async"], "60s"),
    ]),
    ("failover-database", "Promote the standby of a Postgres cluster", {
        "cluster": ("string", True, NAME_RE, None, "{{alert.labels.cluster}}"),
        "candidate": ("string", False, NAME_RE, None, "{{alert.labels.replica}}"),
    }, [
        ("switchover", "remediation", ["patronictl", "failover", "{{inputs.cluster}}", "--candidate", "{{inputs.candidate}}", "--force"], "5m"),
        ("list", "diagnostic", ["patronictl", "list", "{{inputs.cluster}}"], None),
    ]),
    ("rotate-credentials", "Rotate a service credential in the vault", {
        "service": ("string", True, NAME_RE, None, "{{alert.labels.service}}"),
        "secret_name": ("string", True, "^[a-z0-9/_-]+$", None, "{{alert.labels.service}}/db"),
    }, [
        ("rotate", "remediation", ["vault", "write", "-f", "-metadata=service={{inputs.service}}", "database/rotate-role/{{inputs.secret_name}}"], "2m"),
    ]),
    ("purge-dead-letters", "Move dead letters back onto the main queue", {
        "queue": ("string", True, NAME_RE, None, "{{alert.labels.queue}}"),
        "max": ("integer", False, "^[0-9]+$", 1000, ["500", "1000", "5000"]),
    }, [
        ("count", "diagnostic", ["queuectl", "stats", "{{inputs.queue}}.dlq"], None),
        ("requeue", "remediation", ["queuectl", "move", "--from", "{{inputs.queue}}.dlq", "--to", "{{inputs.queue}}", "--max", "{{inputs.max}}"], "10m"),
    ]),
    ("restart-pod", "Delete one pod so its controller recreates it", {
        "namespace": ("string", True, NS_RE, None, "{{alert.labels.namespace}}"),
        "pod": ("string", True, NAME_RE, None, "{{alert.labels.pod}}"),
    }, [
        ("delete", "remediation", ["kubectl", "-n", "{{inputs.namespace}}", "delete", "pod", "{{inputs.pod}}", "--wait=false"], "60s"),
    ]),
    ("purge-cdn-cache", "Purge a path prefix from the CDN", {
        "zone": ("string", True, "^[a-z0-9.-]+$", None, "{{alert.labels.zone}}"),
        "prefix": ("string", True, "^/[A-Za-z0-9_./-]*$", None, ["/", "/static/", "/assets/"]),
    }, [
        ("purge", "remediation", ["cdnctl", "purge", "--zone", "{{inputs.zone}}", "--prefix", "{{inputs.prefix}}"], "2m"),
    ]),
    ("resize-volume", "Grow a persistent volume claim", {
        "namespace": ("string", True, NS_RE, None, "{{alert.labels.namespace}}"),
        "pvc": ("string", True, NAME_RE, None, "{{alert.labels.persistentvolumeclaim}}"),
        "size": ("string", True, "^[0-9]+Gi$", None, ["50Gi", "100Gi", "200Gi"]),
    }, [
        ("patch", "remediation", ["pvc-resize", "--namespace", "{{inputs.namespace}}", "--claim", "{{inputs.pvc}}", "--size", "{{inputs.size}}"], "2m"),
    ]),
    ("reload-config", "Send a reload to a service", {
        "host": ("string", True, HOST_RE, None, "{{alert.labels.instance}}"),
    }, [
        ("reload", "remediation", ["curl", "-fsS", "-X", "POST", "http://{{inputs.host}}/-/reload"], "30s"),
    ]),
    ("block-ip", "Block an abusive client address at the edge", {
        "address": ("string", True, "^[0-9a-f.:/]+$", None, "{{alert.labels.client_ip}}"),
        "for": ("duration", False, None, "1h", ["30m", "1h", "6h"]),
    }, [
        ("block", "remediation", ["edgectl", "deny", "add", "{{inputs.address}}", "--ttl", "{{inputs.for}}"], "30s"),
    ]),
    ("capture-heap-dump", "Capture a heap profile before restarting", {
        "namespace": ("string", True, NS_RE, None, "{{alert.labels.namespace}}"),
        "pod": ("string", True, NAME_RE, None, "{{alert.labels.pod}}"),
        "port": ("integer", False, "^[0-9]{2,5}$", 6060, ["6060", "8080"]),
    }, [
        ("profile", "diagnostic", ["kubectl", "-n", "{{inputs.namespace}}", "port-forward-fetch", "{{inputs.pod}}", "{{inputs.port}}", "/debug/pprof/heap"], None),
    ]),
    ("snapshot-volume", "Snapshot a cloud volume", {
        "volume_id": ("string", True, "^vol-[0-9a-f]{8,17}$", None, "{{alert.labels.volume_id}}"),
    }, [
        ("snapshot", "remediation", ["aws", "ec2", "create-snapshot", "--volume-id", "{{inputs.volume_id}}", "--description", "rbx {{run.id}}"], "5m"),
    ]),
    ("reset-consumer-group", "Reset a Kafka consumer group to the latest offset", {
        "bootstrap": ("string", True, HOST_RE, None, "{{alert.labels.instance}}"),
        "group": ("string", True, NAME_RE, None, "{{alert.labels.consumer_group}}"),
        "topic": ("string", True, NAME_RE, None, "{{alert.labels.topic}}"),
    }, [
        ("describe", "diagnostic", ["kafka-consumer-groups", "--bootstrap-server", "{{inputs.bootstrap}}", "--describe", "--group", "{{inputs.group}}"], None),
        ("reset", "remediation", ["kafka-consumer-groups", "--bootstrap-server", "{{inputs.bootstrap}}", "--group", "{{inputs.group}}", "--topic", "{{inputs.topic}}", "--reset-offsets", "--to-latest", "--execute"], "5m"),
    ]),
]
DIRECT_FIXES = [
    ("Restart the {svc} deployment", ["kubectl", "-n", "{{alert.labels.namespace}}", "rollout", "restart", "deployment/{{alert.labels.service}}"]),
    ("Restart {svc} on the node", ["systemctl", "--host", "{{alert.labels.node}}", "restart", "{{alert.labels.service}}"]),
    ("Restart the {svc} container", ["docker", "restart", "{{alert.labels.container}}"]),
    ("Drain {svc} traffic from the instance", ["curl", "-fsS", "-X", "POST", "http://{{alert.labels.instance}}/admin/drain"]),
    ("Raise the client limit", ["redis-cli", "-h", "{{alert.labels.instance}}", "config", "set", "maxclients", "20000"]),
    ("Delete the failing pod", ["kubectl", "-n", "{{alert.labels.namespace}}", "delete", "pod", "{{alert.labels.pod}}"]),
    ("Pause the {svc} consumers", ["curl", "-fsS", "-X", "POST", "http://{{alert.labels.instance}}/admin/consumers/pause"]),
    ("Shift traffic away from {svc}", ["lbctl", "weight", "set", "--pool", "{{alert.labels.service}}", "--backend", "{{alert.labels.instance}}", "--weight", "0"]),
]

# One playbook that calls another (uses inside playbooks; no cycles).
COMPOSITE = ("drain-and-restart-node", "Drain a node, restart its kubelet and uncordon it", {
    "node": ("string", True, NAME_RE, None, "{{alert.labels.node}}"),
}, None)

TEMPLATES = {
    "incident-initial": (
        "We are investigating {{alert.labels.service}} ({{alert.name}}, severity {{alert.severity}}).\n"
        "\n"
        "Runbook: {{runbook.title}} ({{runbook.name}}), owned by {{runbook.owner}}.\n"
        "Started: {{run.started_at}} - run {{run.id}}\n"
        "{{#alert.annotations.summary}}\n"
        "Summary: {{alert.annotations.summary}}\n"
        "{{/alert.annotations.summary}}\n"
    ),
    "status-update": (
        "Update on {{alert.labels.service}}: the automated response ({{runbook.name}}) is still running.\n"
        "Run {{run.id}} started at {{run.started_at}}. Next update in 15 minutes.\n"
    ),
    "incident-resolved": (
        "Resolved: {{alert.name}} on {{alert.labels.instance}}.\n"
        "{{runbook.summary}}\n"
        "Evidence: run {{run.id}}.\n"
    ),
    "escalation-page": (
        "[{{alert.severity}}] {{alert.name}} on {{alert.labels.instance}} is not resolved.\n"
        "Runbook {{runbook.name}} ({{runbook.owner}}) has been running since {{run.started_at}}.\n"
        "Dashboard: {{alert.generatorURL}}\n"
    ),
    "remediation-note": (
        "rbx is about to remediate {{alert.name}} for {{alert.labels.service}}\n"
        "(fingerprint {{alert.fingerprint}}, run {{run.id}}, dry run: {{run.dry_run}}).\n"
    ),
}

DESCRIPTION_SENTENCES = [
    "Check the dashboard first: a spike that started with a deploy is almost always the deploy.",
    "If the alert flaps, look at the recording rule window before touching the service.",
    "The service is stateless; restarting it is safe at any time of day.",
    "Customers notice within minutes, so page early rather than late.",
    "A restart clears the symptom but not the cause: open a ticket for the owning team.",
    "Do not fail over during the nightly batch window (01:00-03:00 UTC) without the DBA on call.",
    "Most pages come from a single noisy node; compare with its neighbours before acting.",
    "The upstream provider publishes incidents on its status page; link it in the channel.",
    "Keep the evidence bundle: the weekly review reads it.",
    "When in doubt, escalate; nobody was ever blamed for paging the incident commander.",
    "Rollbacks are preferred over forward fixes during business hours.",
    "Disk alerts on log volumes usually mean logrotate stopped; check its timer too.",
    "Connection storms after a failover settle within five minutes; do not restart clients.",
    "Capture a heap profile before restarting so the owners can find the leak.",
    "The health endpoint checks dependencies; a failing probe may point elsewhere.",
    "Alerts from the canary cluster are routed elsewhere and do not match this runbook.",
    "If the certificate was issued by the internal CA, renewal needs the platform team.",
    "Scaling up buys time; it is not a fix and must be reverted after the incident.",
]

# --------------------------------------------------------------------------------------------
# Writers


def write_config(out):
    lines = [
        "# rbx configuration for the generated benchmark catalog",
        "apiVersion: rbx/v1",
        "kind: Config",
        "severity:",
        "  levels: [P1, P2, P3, P4]",
        "  aliases: { critical: P1, high: P2, warning: P3, info: P4 }",
        "  label: severity",
        "  default: P3",
        "source:",
        "  label: source",
        "  default: prometheus",
        "defaults:",
        "  dedup_window: 5m",
        "  cooldown: 15m",
        "  step_timeout: 5m",
        "  interval: 15s",
        "  backoff: 10s",
        "  output_limit: 1MiB",
        "notifiers:",
    ]
    for n in NOTIFIERS:
        lines.append(f"  {n}: {{ type: file, path: var/notify-{n}.log }}")
    lines += [
        "status_page: { type: file, path: var/status }",
        "store: sqlite:var/rbx.sqlite",
        "env: { allow: [PATH, HOME, LANG, TZ] }",
        "secrets: { patterns: [\"(?i)bearer [a-z0-9._-]+\"] }",
        "evidence: { dir: evidence }",
        "",
    ]
    return write(os.path.join(out, "rbx.yaml"), "\n".join(lines))


def input_line(name, spec):
    typ, required, pattern, default, _ = spec
    parts = [f"type: {typ}"]
    if required:
        parts.append("required: true")
    if pattern:
        parts.append(f"pattern: {s(pattern, flow=True)}")
    if default is not None:
        parts.append(f"default: {s(default, flow=True)}")
    return f"  {name}: {{ {', '.join(parts)} }}"


def write_playbooks(out):
    pdir = os.path.join(out, "playbooks")
    os.makedirs(pdir, exist_ok=True)
    total = 0
    for name, summary, inputs, steps in PLAYBOOKS:
        lines = ["apiVersion: rbx/v1", "kind: Playbook", "metadata:", f"  name: {name}",
                 f"  summary: {s(summary)}", "  owner: platform", "inputs:"]
        lines += [input_line(k, v) for k, v in inputs.items()]
        lines.append("steps:")
        for sid, kind, argv, timeout in steps:
            lines += [f"  - id: {sid}", f"    kind: {kind}", f"    run: {flow_list(argv)}"]
            if timeout:
                lines.append(f"    timeout: {timeout}")
        lines.append("")
        total += write(os.path.join(pdir, f"{name}.yaml"), "\n".join(lines))
    name, summary, inputs, _ = COMPOSITE
    lines = ["apiVersion: rbx/v1", "kind: Playbook", "metadata:", f"  name: {name}",
             f"  summary: {s(summary)}", "  owner: platform", "inputs:"]
    lines += [input_line(k, v) for k, v in inputs.items()]
    lines += [
        "steps:",
        "  - id: drain",
        "    kind: remediation",
        "    uses: cordon-drain-node",
        "    with: { node: \"{{inputs.node}}\", grace: 2m }",
        "    timeout: 15m",
        "  - id: kubelet",
        "    kind: remediation",
        "    when: steps.drain.ok",
        "    uses: restart-service",
        "    with: { host: \"{{inputs.node}}\", unit: kubelet.service }",
        "    timeout: 5m",
        "  - id: uncordon",
        "    kind: remediation",
        "    when: steps.kubelet.ok",
        "    run: [kubectl, uncordon, \"{{inputs.node}}\"]",
        "    timeout: 30s",
        "",
    ]
    total += write(os.path.join(pdir, f"{name}.yaml"), "\n".join(lines))
    return total


def write_templates(out):
    tdir = os.path.join(out, "templates")
    os.makedirs(tdir, exist_ok=True)
    for name, text in TEMPLATES.items():
        write(os.path.join(tdir, f"{name}.mustache"), text)


DIAG_BY_ID = {d[0]: d for d in DIAGNOSTICS}
ALL_PLAYBOOKS = {p[0]: p for p in PLAYBOOKS}
ALL_PLAYBOOKS[COMPOSITE[0]] = COMPOSITE


def with_pairs(rng, pb_name, earlier_ids):
    inputs = ALL_PLAYBOOKS[pb_name][2]
    pairs = []
    for iname, (typ, required, pattern, default, provider) in inputs.items():
        if not required and rng.random() < 0.4:
            continue
        value = rng.choice(provider) if isinstance(provider, list) else provider
        if "{{steps." in value:
            # Only refer to the rollout step when this runbook actually has it earlier.
            if "rollout" not in earlier_ids:
                value = "0"
        pairs.append((iname, value))
    return pairs


def duration(rng, choices):
    return rng.choice(choices)


def runbook_text(i, rng, size_target):
    alert = ALERT_NAMES[rng.randrange(len(ALERT_NAMES))]
    svc, team = SERVICES[rng.randrange(len(SERVICES))]
    name = f"{svc}-{slug(alert)}-{i:05d}"
    assert len(name) <= 63, name
    title = f"{svc.replace('-', ' ').title()}: {ALERTS[alert]}"

    out = []
    if rng.random() < 0.3:
        out.append("# yaml-language-server: $schema=../../schema/rbx.schema.json")
    out += ["apiVersion: rbx/v1", "kind: Runbook", "metadata:", f"  name: {name}",
            f"  title: {s(title)}", f"  owner: {team}",
            f"  summary: {s(f'{ALERTS[alert].capitalize()} on {svc}; diagnose, remediate, verify')}"]
    links = [f"https://{rng.choice(LINK_HOSTS)}/{svc}-{slug(alert)}"]
    if rng.random() < 0.5:
        links.append(f"https://grafana.example.com/d/{rng.getrandbits(32):08x}/{svc}")
    out.append(f"  links: {flow_list(links)}")
    if rng.random() < 0.6:
        out.append(f"  tags: {flow_list(rng.sample(['tier-1', 'tier-2', 'customer-facing', 'internal', 'stateful', 'k8s', 'vm', 'auto-remediate'], rng.randint(1, 3)))}")
    desc_at = len(out)  # description is inserted here once the size is known

    # match
    out.append("match:")
    src = rng.choice(SOURCES)
    out.append(f"  source: {flow_list(src) if isinstance(src, list) else s(src)}")
    sev = rng.choice(SEVERITIES)
    out.append(f"  severity: {flow_list(sev) if isinstance(sev, list) else s(sev)}")
    out.append("  labels:")
    out.append(f"    alertname: {alert}")
    pool = [("env", ENV_MATCHERS), ("region", REGION_MATCHERS), ("cluster", CLUSTER_MATCHERS),
            ("namespace", NAMESPACE_MATCHERS), ("tier", TIER_MATCHERS),
            ("service", [f"={svc}", f"=~{svc}(-.*)?", svc, f"=~{svc}|{svc}-v2"]),
            ("team", [f"={team}", team])]
    for lname, choices in rng.sample(pool, rng.randint(1, 3)):
        out.append(f"    {lname}: {json.dumps(rng.choice(choices))}")
    out.append(f"priority: {rng.choice([0, 5, 10, 10, 20, 50, 100])}")
    if rng.random() < 0.8:
        out.append(f"concurrency: {json.dumps(rng.choice(CONCURRENCY))}")
    out.append(f"cooldown: {rng.choice(COOLDOWNS)}")

    # steps
    nsteps = rng.randint(4, 8)
    ids = []
    step_lines = []
    n_diag = max(1, min(3, nsteps - 3 + rng.randint(-1, 0)))
    rel_diags, rel_pbs = RELATED[alert]
    diag_ids = rng.sample(rel_diags, min(n_diag, len(rel_diags)))
    while len(diag_ids) < n_diag or (len(diag_ids) < 3 and rng.random() < 0.1):
        extra = rng.choice(DIAGNOSTICS)[0]
        if extra not in diag_ids:
            diag_ids.append(extra)
    if len(diag_ids) > n_diag:
        diag_ids.pop(rng.randrange(len(diag_ids)))
    diags = [DIAG_BY_ID[d] for d in diag_ids]
    for did, dname, argv, outputs, safe in diags:
        ids.append(did)
        step_lines += [f"  - id: {did}", f"    name: {s(dname)}", "    kind: diagnostic",
                       f"    run: {flow_list(argv)}"]
        step_lines.append(f"    timeout: {rng.choice(['10s', '15s', '30s', '1m'])}")
        if outputs:
            step_lines.append("    outputs:")
            for oname, rx in outputs.items():
                step_lines.append(f"      {oname}: {s(rx) if _PLAIN.match(rx) else sq(rx)}")
        if safe and rng.random() < 0.7:
            step_lines.append("    safe: true")
        if rng.random() < 0.25:
            step_lines.append("    continue_on_error: true")
        if rng.random() < 0.15:
            step_lines.append("    env: { API_TOKEN: \"${OPS_API_TOKEN}\" }")

    remaining = nsteps - len(ids) - 1  # keep one for verification
    extras = []
    # at least one playbook call and, often, one direct remediation
    extras.append("uses")
    if remaining >= 2:
        extras.append(rng.choice(["run", "run", "notify", "approval", "wait"]))
    while len(extras) < remaining:
        extras.append(rng.choice(["run", "notify", "wait", "approval", "uses"]))
    rng.shuffle(extras)
    used_pbs = set()
    refable = ids[:]  # steps a `when` may sensibly test: diagnostics, remediations, approvals
    approvals = set()
    for kind in extras:
        earlier = (refable, approvals)
        if kind == "uses":
            choices = [p for p in rel_pbs if p not in used_pbs]
            if not choices or rng.random() < 0.15:
                choices = [p for p in ALL_PLAYBOOKS if p not in used_pbs]
            pb = rng.choice(choices)
            used_pbs.add(pb)
            sid = f"{pb.split('-')[0]}-{len(ids) + 1}"
            step_lines += [f"  - id: {sid}", "    kind: remediation",
                           f"    when: {cond_when(rng, earlier)}", f"    uses: {pb}",
                           f"    with: {flow_map(with_pairs(rng, pb, ids))}",
                           f"    timeout: {rng.choice(['2m', '5m', '10m', '15m'])}"]
            if rng.random() < 0.4:
                step_lines += [f"    retries: {rng.randint(1, 3)}", f"    backoff: {rng.choice(['10s', '30s', '1m'])}"]
        elif kind == "run":
            sid = f"fix_{len(ids) + 1}"
            rname, argv = rng.choice(DIRECT_FIXES)
            step_lines += [f"  - id: {sid}", f"    name: {s(rname.format(svc=svc))}", "    kind: remediation",
                           f"    when: {cond_when(rng, earlier)}", f"    run: {flow_list(argv)}",
                           f"    timeout: {rng.choice(['30s', '60s', '2m', '5m'])}"]
            if rng.random() < 0.3:
                step_lines.append("    idempotent: true")
        elif kind == "notify":
            sid = f"tell_{len(ids) + 1}"
            step_lines += [f"  - id: {sid}", "    kind: notify",
                           f"    notify: {flow_list(rng.sample(NOTIFIERS, rng.randint(1, 2)))}"]
            if rng.random() < 0.5:
                step_lines.append("    template: remediation-note")
            else:
                step_lines.append(f"    message: {json.dumps('Remediating ' + alert + ' on {{alert.labels.instance}}')}")
        elif kind == "wait":
            sid = f"settle_{len(ids) + 1}"
            step_lines += [f"  - id: {sid}", "    kind: wait", f"    duration: {rng.choice(['30s', '1m', '2m'])}"]
        else:
            sid = f"approve_{len(ids) + 1}"
            step_lines += [f"  - id: {sid}", "    kind: approval",
                           f"    message: {json.dumps('Approve remediation of ' + svc + ' in {{alert.labels.env}}?')}",
                           f"    approvers: {flow_list([team + '-oncall', 'sre-leads'])}",
                           f"    timeout: {rng.choice(['10m', '15m', '30m'])}",
                           f"    on_timeout: {rng.choice(['deny', 'deny', 'approve'])}"]
        ids.append(sid)
        if kind in ("uses", "run", "approval"):
            refable.append(sid)
        if kind == "approval":
            approvals.add(sid)

    vid = rng.choice(["verify", "verify", "verify-health", "check_recovered"])
    ids.append(vid)
    vcond = rng.choice([f"steps.{vid}.ok", f"steps.{vid}.exit_code == 0",
                        f"steps.{vid}.outputs.status == \"ok\"", f"steps.{vid}.ok and steps.{vid}.outputs.status != \"degraded\""])
    step_lines += [f"  - id: {vid}", "    name: Verify recovery", "    kind: diagnostic",
                   f"    run: {flow_list(['curl', '-fsS', '--max-time', '5', 'http://{{alert.labels.instance}}/healthz'])}",
                   "    outputs:", "      status: '\"status\":\\s*\"(\\w+)\"'",
                   f"    until: {vcond}",
                   f"    interval: {rng.choice(['10s', '15s', '30s'])}",
                   f"    timeout: {rng.choice(['3m', '5m', '10m'])}"]
    out.append("steps:")
    out += step_lines
    out.append(f"resolved_when: {rng.choice(['alert.resolved or steps.' + vid + '.ok', 'alert.resolved', 'steps.' + vid + '.ok'])}")

    # escalation
    out.append("escalation:")
    after = 0
    ladder = rng.sample(NOTIFIERS, rng.randint(2, 3))
    for n in ladder:
        after += rng.choice([5, 10, 15, 20])
        out.append(f"  - after: {fmt_minutes(after)}")
        out.append(f"    notify: [{n}]")
        if rng.random() < 0.4:
            out.append(f"    repeat: {rng.choice(['15m', '30m', '1h'])}")
        if rng.random() < 0.5:
            out.append("    template: escalation-page")

    # status
    out.append("status:")
    out.append(f"  on_start:    {{ template: incident-initial, state: {rng.choice(['investigating', 'investigating', 'identified'])} }}")
    extra = f", notify: [{rng.choice(NOTIFIERS)}]" if rng.random() < 0.3 else ""
    out.append(f"  on_update:   {{ template: status-update, every: {rng.choice(['10m', '15m', '30m'])}{extra} }}")
    out.append("  on_resolved: { template: incident-resolved, state: resolved }")

    # description to reach the size target
    body = "\n".join(out) + "\n"
    desc = []
    size = len(body.encode())
    if size + 40 < size_target:
        desc = ["  description: |", f"    ## {title}", ""]
        size += sum(len(l) + 1 for l in desc)
        sentences = DESCRIPTION_SENTENCES[:]
        rng.shuffle(sentences)
        k = 0
        while size < size_target:
            line = "    " + sentences[k % len(sentences)]
            if size + len(line) + 1 > MAX_SIZE - 64:
                break
            desc.append(line)
            size += len(line) + 1
            k += 1
    out[desc_at:desc_at] = desc
    return name, "\n".join(out) + "\n"


def sq(text):
    """A YAML single-quoted scalar (backslashes are literal, which suits regexes)."""
    return "'" + text.replace("'", "''") + "'"


def cond_when(rng, earlier):
    refable, approvals = earlier
    ref = rng.choice(refable)
    if ref in approvals:
        return f"steps.{ref}.ok"
    return rng.choice([
        f"steps.{ref}.ok",
        f"steps.{ref}.ok",
        f"not steps.{ref}.ok",
        f"steps.{ref}.ok and alert.labels.env == \"prod\"",
        f"alert.labels.env =~ \"prod|staging\" and steps.{ref}.exit_code == 0",
        f"steps.{ref}.exit_code != 0 or alert.labels.severity in [\"critical\", \"P1\"]",
    ])


def fmt_minutes(m):
    return f"{m // 60}h{m % 60}m" if m >= 60 and m % 60 else (f"{m // 60}h" if m >= 60 else f"{m}m")


def write(path, text):
    data = text.encode()
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit():
        print("usage: gen_catalog.py N OUTDIR", file=sys.stderr)
        return 2
    n, out = int(argv[1]), argv[2]
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    total = write_config(out)
    total += write_playbooks(out)
    write_templates(out)
    files = 1 + len(ALL_PLAYBOOKS)
    rb_bytes = 0
    names = set()
    for i in range(n):
        rng = random.Random(f"rbx-bench-{i}")
        target = rng.randint(MIN_SIZE + 64, MAX_SIZE - 200)
        name, text = runbook_text(i, rng, target)
        assert name not in names
        names.add(name)
        d = os.path.join(out, "runbooks", f"{i // PER_DIR:03d}")
        if i % PER_DIR == 0:
            os.makedirs(d, exist_ok=True)
        rb_bytes += write(os.path.join(d, f"{name}.yaml"), text)
        files += 1
    total += rb_bytes
    print(f"gen_catalog runbooks={n} files={files} yaml_bytes={total} "
          f"runbook_bytes={rb_bytes} dir={out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
