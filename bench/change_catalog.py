#!/usr/bin/env python3
"""Edit a catalog written by gen_catalog.py the way reviewers see it change, for bench/review.sh.

    bench/change_catalog.py changes  CATALOG [COUNT]   change COUNT runbooks (default 20)
    bench/change_catalog.py reformat CATALOG [INDEX]   reformat runbook INDEX (default 50)

`changes` edits runbooks 0, 100, 200, ... (COUNT of them, runbook i being the file
runbooks/NNN/*-<i:05d>.yaml), one behaviour change each, cycling through six kinds in this order:

    argv        the first `run:` gets an extra argument (`-v` after the program)
    after       the first escalation rung is paged 2 minutes later (the ladder stays increasing)
    when        the first `when:` guard is negated (`not (...)`)
    match       a label matcher is added (`canary: "!=true"`), or, every other time, the
                severity becomes `[P3, P4]` (a value gen_catalog.py never writes)
    add-step    a diagnostic step is added before `resolved_when:`
    remove-step a step no other part of the runbook refers to (`steps.<id>.`) is removed

`reformat` changes nothing an alert would see in one runbook: every indented line gets two more
spaces (a uniform re-indent, block scalars included) and the top-level keys after `kind:` come
in reverse order.

The edits are made on the YAML text (comments and layout elsewhere are kept), are
deterministic, and keep the catalog lint-clean. One line per edited file is printed:

    change_catalog <kind> runbook=<i> file=<path relative to CATALOG>

Only the standard library is used.
"""

import glob
import os
import re
import sys

KINDS = ["argv", "after", "when", "match", "add-step", "remove-step"]


def runbook_file(catalog, i):
    found = glob.glob(os.path.join(catalog, "runbooks", f"{i // 500:03d}", f"*-{i:05d}.yaml"))
    if len(found) != 1:
        sys.exit(f"change_catalog: runbook {i}: expected one file, found {found}")
    return found[0]


def first(lines, pattern, what, path):
    rx = re.compile(pattern)
    for n, line in enumerate(lines):
        m = rx.match(line)
        if m:
            return n, m
    sys.exit(f"change_catalog: {path}: no {what} (pattern {pattern!r})")


def step_blocks(lines):
    """(start, end, id) of each `  - id:` item under the top-level `steps:` key."""
    start = lines.index("steps:") + 1
    end = start
    while end < len(lines) and (lines[end].startswith(" ") or lines[end] == ""):
        end += 1
    blocks = []
    for n in range(start, end):
        m = re.match(r"^  - id: (\S+)$", lines[n])
        if m:
            if blocks:
                blocks[-1][1] = n
            blocks.append([n, end, m.group(1)])
    return blocks


def change(lines, kind, ordinal, path):
    if kind == "argv":
        n, m = first(lines, r"^(    run: \[)([^,\]]+)(.*)$", "run: line", path)
        lines[n] = f"{m.group(1)}{m.group(2)}, -v{m.group(3)}"
    elif kind == "after":
        n, m = first(lines, r"^  - after: (\d+)m$", "first escalation rung in minutes", path)
        lines[n] = f"  - after: {int(m.group(1)) + 2}m"
    elif kind == "when":
        n, m = first(lines, r"^(    when: )(.*)$", "when: guard", path)
        lines[n] = f"{m.group(1)}not ({m.group(2)})"
    elif kind == "match":
        if ordinal % 2 == 0:
            n, _ = first(lines, r"^  labels:$", "match labels", path)
            lines.insert(n + 1, '    canary: "!=true"')
        else:
            n, _ = first(lines, r"^  severity: ", "match severity", path)
            lines[n] = "  severity: [P3, P4]"
    elif kind == "add-step":
        n, _ = first(lines, r"^resolved_when: ", "resolved_when", path)
        lines[n:n] = [
            "  - id: snapshot",
            "    name: Record process state for the postmortem",
            "    kind: diagnostic",
            '    run: [ps, -eo, "pid,pcpu,pmem,etime,args", --sort=-pcpu]',
            "    timeout: 15s",
            "    safe: true",
        ]
    elif kind == "remove-step":
        text = "\n".join(lines)
        blocks = step_blocks(lines)
        # Not the first (often the only diagnostic) nor the last (the verification).
        for start, end, sid in blocks[1:-1]:
            if f"steps.{sid}." not in text:
                del lines[start:end]
                break
        else:
            sys.exit(f"change_catalog: {path}: no step to remove that nothing refers to")
    else:
        raise ValueError(kind)


def reformat(lines):
    head = []
    n = 0
    while n < len(lines) and not lines[n].startswith("kind:"):
        head.append(lines[n])
        n += 1
    head.append(lines[n])
    blocks = []
    for line in lines[n + 1:]:
        if line and not line.startswith(" ") and not line.startswith("#"):
            blocks.append([line])
        else:
            blocks[-1].append("  " + line if line.startswith(" ") else line)
    out = head
    for block in reversed(blocks):
        out += block
    return out


def main(argv):
    if len(argv) not in (3, 4) or argv[1] not in ("changes", "reformat"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    mode, catalog = argv[1], argv[2]
    if mode == "changes":
        count = int(argv[3]) if len(argv) == 4 else 20
        for k in range(count):
            i = 100 * k
            path = runbook_file(catalog, i)
            lines = open(path).read().split("\n")
            kind = KINDS[k % len(KINDS)]
            change(lines, kind, k // len(KINDS), path)
            open(path, "w").write("\n".join(lines))
            print(f"change_catalog {kind} runbook={i} file={os.path.relpath(path, catalog)}")
    else:
        i = int(argv[3]) if len(argv) == 4 else 50
        path = runbook_file(catalog, i)
        lines = open(path).read().split("\n")
        trailing = lines and lines[-1] == ""
        out = reformat(lines[:-1] if trailing else lines)
        open(path, "w").write("\n".join(out) + ("\n" if trailing else ""))
        print(f"change_catalog reformat runbook={i} file={os.path.relpath(path, catalog)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
