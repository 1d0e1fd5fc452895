public import RunbookCore

/// A Mermaid flowchart of a runbook's steps and escalation ladder.
///
/// The diagram is the reading of the YAML a person does at 3 a.m.: steps top to bottom, each
/// `when` guard a decision diamond (false skips to what follows), every step that stops the
/// run on failure an edge to "run fails", `until` loops as self-edges, and the ladder as a
/// chain of rungs that fire while the run is open. Node ids are positional (`s0`, `g0`), so the
/// text is stable for diffs; catalog text only ever appears inside escaped, quoted labels.
public enum MermaidFlow {
    /// - Parameters:
    ///   - start: the label of the entry node, e.g. "InstanceDown fires".
    ///   - defaultInterval: the catalog's `defaults.interval`, shown on `until` loops without one.
    public static func flowchart(
        start: String, steps: [Step], resolvedWhen: Condition? = nil, escalation: [EscalationRung] = [],
        defaultInterval: Duration, isPlaybook: Bool = false, isCheck: Bool = false
    ) -> String {
        var lines = ["flowchart TD", "  start([\"\(label(start))\"])"]
        var pending: [(from: String, label: String?)] = [("start", nil)]
        var usesFailure = false
        var classes: [String: [String]] = [:]
        for (index, step) in steps.enumerated() {
            let node = "s\(index)"
            let entry = step.when == nil ? node : "g\(index)"
            for exit in pending { lines.append("  " + edge(exit.from, exit.label, entry)) }
            pending = []
            if let guardCondition = step.when {
                lines.append("  \(entry){\"when \(label(guardCondition.text, limit: 70))\"}")
                lines.append("  \(entry) -->|true| \(node)")
                pending.append((entry, "false"))
            }
            lines.append("  " + node + shape(for: step))
            classes[step.kind.rawValue, default: []].append(node)
            if let until = step.until {
                let every = step.interval?.runbookDescription ?? defaultInterval.runbookDescription
                lines.append("  \(node) -->|\"every \(every) until \(label(until.text, limit: 50))\"| \(node)")
            }
            let flow = FlowStep(step)
            if let ends = flow.ends {
                lines.append("  \(node) --> stopped([\"\(ends)\"])")
            } else {
                pending.insert((node, flow.onward), at: 0)
            }
            if let failure = flow.failure {
                lines.append("  \(node) -.->|\"\(failure)\"| fail")
                usesFailure = true
            }
        }
        let end = isPlaybook ? "returns to the caller" : "steps done"
        lines.append("  done([\"\(end)\"])")
        for exit in pending { lines.append("  " + edge(exit.from, exit.label, "done")) }
        if isCheck {
            lines.append("  done --> completed([\"completed: nothing stays open\"])")
        } else if !isPlaybook {
            if let resolvedWhen {
                lines.append("  resolved_when{\"resolved_when \(label(resolvedWhen.text, limit: 70))\"}")
                lines.append("  done --> resolved_when")
                lines.append("  resolved_when -->|true| resolved([\"resolved\"])")
                lines.append("  resolved_when -->|false| open([\"open until the alert resolves\"])")
            } else {
                lines.append("  done --> open([\"open until the alert resolves\"])")
            }
        }
        if usesFailure { lines.append("  fail([\"\(isPlaybook ? "call fails" : "run fails")\"])") }
        if !escalation.isEmpty {
            lines.append("  subgraph escalation [\"escalation while the run is open\"]")
            for (index, rung) in escalation.enumerated() {
                let repeatText = rung.repeatEvery.map { ", again every \($0.runbookDescription)" } ?? ""
                let targets = rung.notify.map(\.value).joined(separator: ", ")
                lines.append(
                    "    e\(index)[/\"T+\(rung.after.runbookDescription): page \(label(targets))\(repeatText)\"/]")
            }
            for index in escalation.indices.dropFirst() { lines.append("    e\(index - 1) --> e\(index)") }
            lines.append("  end")
            lines.append("  start -.->|if still open| e0")
        }
        lines.append("  classDef remediation fill:#fff1e5,stroke:#bc4c00")
        lines.append("  classDef approval fill:#fff8c5,stroke:#9a6700")
        lines.append("  classDef failure fill:#ffebe9,stroke:#cf222e")
        for kind in ["remediation", "approval"] {
            if let nodes = classes[kind] { lines.append("  class \(nodes.joined(separator: ",")) \(kind)") }
        }
        if usesFailure { lines.append("  class fail failure") }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func edge(_ from: String, _ text: String?, _ to: String) -> String {
        text.map { "\(from) -->|\($0)| \(to)" } ?? "\(from) --> \(to)"
    }

    private static func shape(for step: Step) -> String {
        let title = step.name.map { ": " + label($0, limit: 60) } ?? ""
        let text = "\(label(step.id.value))<br/>\(step.kind.rawValue)\(title)"
        switch step.action {
        case .uses(let playbook, _): return "[[\"\(text)<br/>uses \(label(playbook.value))\"]]"
        case .notify: return ">\"\(text)\"]"
        case .wait(let duration): return "(\"\(text)<br/>waits \(duration.runbookDescription)\")"
        case .approval: return "{{\"\(text)\"}}"
        case .stop(_, let handoff):
            return "([\"\(text)<br/>" + (handoff.map { "hands off to \($0.value)" } ?? "stops the run") + "\"])"
        case .run, .shell: return "[\"\(text)\"]"
        case .query: return "[/\"\(text)<br/>queries Prometheus\"/]"
        case .raise(let raise):
            return ">\"\(text)<br/>\(raise.resolve ? "resolves" : "raises") \(label(raise.name.text))\"]"
        }
    }

    /// Text safe inside a quoted Mermaid label: Mermaid's own entity codes for the characters
    /// that would end the label or be read as markup, one line, shortened to `limit`.
    static func label(_ text: String, limit: Int = 80) -> String {
        var flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: " ") }.joined(separator: " ")
        if flat.count > limit { flat = String(flat.prefix(limit - 1)) + "…" }
        var out = ""
        for character in flat {
            switch character {
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            case "#": out += "#35;"
            case "`": out += "#96;"
            case "|": out += "#124;"
            case "{": out += "#123;"
            case "}": out += "#125;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
