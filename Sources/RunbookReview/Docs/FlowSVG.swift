public import RunbookCore

/// A runbook's flow drawn as inline SVG, read top to bottom as ``MermaidFlow`` draws it (the
/// same edges, by ``FlowStep``): each `when` a decision whose "false" edge skips the step,
/// failures to "run fails", `until` loops, the end and `resolved_when`, then the escalation
/// ladder. rbx lays it out itself, so a page needs no script (its CSP allows none) and no
/// Mermaid. Colours are presentation attributes, not `style`, which a strict CSP would block;
/// every piece of catalog text is escaped.
public enum FlowSVG {
    static let width = 680
    static let boxX = 44
    static let boxWidth = 340
    static let noteX = 400

    public static func render(
        start: String, steps: [Step], resolvedWhen: Condition? = nil, escalation: [EscalationRung] = [],
        defaultInterval: Duration, isPlaybook: Bool = false, isCheck: Bool = false
    ) -> String {
        var canvas = Canvas()
        var y = 12
        canvas.terminal(start, y: y)
        y += 36
        // "false" edges of guards waiting for the next node: they start at these heights.
        var skips: [Int] = []
        var label: String? = nil
        // After a stop nothing follows the box: only its guard's "false" edge goes on.
        var ended = false
        for step in steps {
            let flow = FlowStep(step)
            if !ended { canvas.arrow(from: y, to: y + 28, label: label) }
            y += 28
            canvas.join(skips, at: y)
            skips = []
            if let condition = step.when {
                canvas.decision("when " + shortened(condition.text, 40), y: y)
                skips.append(y + 18)
                canvas.arrow(from: y + 36, to: y + 60, label: "true")
                y += 60
            }
            canvas.step(step, y: y)
            if let failure = flow.failure {
                canvas.note("\(failure) → \(isPlaybook ? "call fails" : "run fails")", y: y + 18, colour: "#b3261e")
            }
            if let until = step.until {
                let every = step.interval?.runbookDescription ?? defaultInterval.runbookDescription
                canvas.note("↻ every \(every) until \(shortened(until.text, 36))", y: y + 36, colour: "#3a5a99")
            }
            if let ends = flow.ends { canvas.note("→ \(ends)", y: y + 18, colour: "#57606a") }
            y += 44
            label = flow.onward
            ended = flow.ends != nil
        }
        if !ended { canvas.arrow(from: y, to: y + 28, label: label) }
        y += 28
        canvas.join(skips, at: y)
        canvas.terminal(isPlaybook ? "returns to the caller" : "steps done", y: y)
        y += 36
        if isCheck {
            canvas.arrow(from: y, to: y + 24, label: nil)
            y += 24
            canvas.terminal("completed: nothing stays open", y: y)
            y += 36
        } else if !isPlaybook {
            canvas.arrow(from: y, to: y + 24, label: nil)
            y += 24
            if let resolvedWhen {
                canvas.decision("resolved_when " + shortened(resolvedWhen.text, 32), y: y)
                canvas.note("true → resolved", y: y + 18, colour: "#1e6b30")
                canvas.arrow(from: y + 36, to: y + 60, label: "false")
                y += 60
            }
            canvas.terminal("open until the alert resolves", y: y)
            y += 36
        }
        if !escalation.isEmpty {
            y += 28
            canvas.heading("escalation while the run is open", y: y)
            y += 10
            for (index, rung) in escalation.enumerated() {
                if index > 0 {
                    canvas.arrow(from: y, to: y + 20, label: nil)
                    y += 20
                }
                let again = rung.repeatEvery.map { ", again every \($0.runbookDescription)" } ?? ""
                let targets = rung.notify.map(\.value).joined(separator: ", ")
                canvas.rung("T+\(rung.after.runbookDescription): page \(targets)\(again)", y: y)
                y += 34
            }
        }
        return canvas.svg(height: y + 12, title: "Flow of \(start)")
    }

    static func shortened(_ text: String, _ limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }

    /// What a step's box says under its id: its name, or what it does when that is short.
    static func detail(_ step: Step) -> String {
        if let name = step.name { return shortened(name, 46) }
        switch step.action {
        case .uses(let playbook, _): return "uses " + playbook.value
        case .wait(let duration): return "waits " + duration.runbookDescription
        case .notify(let targets, _, _): return "notifies " + targets.map(\.value).joined(separator: ", ")
        case .approval(_, let approvers):
            return approvers.isEmpty ? "asks anyone" : "asks " + approvers.joined(separator: ", ")
        case .run(let argv): return shortened(argv.first?.text ?? "", 46)
        case .shell: return "shell script"
        case .stop(_, let handoff): return handoff.map { shortened("hands off to " + $0.value, 46) } ?? "stops the run"
        case .query(let query): return shortened("queries " + (query.server?.value ?? "prometheus"), 46)
        case .raise(let raise): return shortened((raise.resolve ? "resolves " : "raises ") + raise.name.text, 46)
        }
    }

    /// The SVG elements as they are drawn.
    struct Canvas {
        var elements: [String] = []

        mutating func terminal(_ label: String, y: Int) {
            elements.append(
                "<rect x=\"\(boxX)\" y=\"\(y)\" width=\"\(boxWidth)\" height=\"32\" rx=\"16\" fill=\"#f0f2f5\" "
                    + "stroke=\"#5f6368\"/>"
                    + text(shortened(label, 50), x: boxX + boxWidth / 2, y: y + 21, anchor: "middle"))
        }

        mutating func decision(_ label: String, y: Int) {
            let left = boxX + 10
            let right = boxX + boxWidth - 10
            let points =
                "\(left),\(y + 18) \(left + 18),\(y) \(right - 18),\(y) \(right),\(y + 18) "
                + "\(right - 18),\(y + 36) \(left + 18),\(y + 36)"
            elements.append(
                "<polygon points=\"\(points)\" fill=\"#fffbe6\" stroke=\"#9a6700\"/>"
                    + text(label, x: boxX + boxWidth / 2, y: y + 22, anchor: "middle"))
        }

        mutating func step(_ step: Step, y: Int) {
            let (fill, stroke): (String, String) =
                switch step.kind {
                case .remediation: ("#fff1e5", "#bc4c00")
                case .approval: ("#fff8c5", "#9a6700")
                case .notify: ("#eef7ee", "#1e6b30")
                default: ("#eef4ff", "#3a5a99")
                }
            elements.append(
                "<rect x=\"\(boxX)\" y=\"\(y)\" width=\"\(boxWidth)\" height=\"40\" rx=\"4\" fill=\"\(fill)\" "
                    + "stroke=\"\(stroke)\"/>"
                    + text("\(step.id.value) · \(step.kind.rawValue)", x: boxX + 10, y: y + 16, weight: "600")
                    + text(detail(step), x: boxX + 10, y: y + 33, size: 12, colour: "#444"))
        }

        mutating func rung(_ label: String, y: Int) {
            let points =
                "\(boxX + 12),\(y) \(boxX + boxWidth + 60),\(y) \(boxX + boxWidth + 48),\(y + 28) \(boxX),\(y + 28)"
            elements.append(
                "<polygon points=\"\(points)\" fill=\"#ffebe9\" stroke=\"#b3261e\"/>"
                    + text(shortened(label, 60), x: boxX + 22, y: y + 18))
        }

        mutating func heading(_ label: String, y: Int) {
            elements.append(text(label, x: boxX, y: y, weight: "600", colour: "#5f6368"))
        }

        mutating func note(_ label: String, y: Int, colour: String) {
            elements.append(
                "<line x1=\"\(boxX + boxWidth)\" y1=\"\(y)\" x2=\"\(noteX - 4)\" y2=\"\(y)\" stroke=\"\(colour)\" "
                    + "stroke-dasharray=\"3 3\"/>"
                    + text(shortened(label, 40), x: noteX, y: y + 4, size: 12, colour: colour))
        }

        mutating func arrow(from top: Int, to bottom: Int, label: String?) {
            let x = boxX + boxWidth / 2
            elements.append(
                "<line x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(bottom - 2)\" stroke=\"#5f6368\" "
                    + "marker-end=\"url(#rbx-flow-arrow)\"/>"
                    + (label.map { text($0, x: x + 6, y: (top + bottom) / 2 + 4, size: 11, colour: "#5f6368") } ?? ""))
        }

        /// The "false" edges of guards, from their left corner down the margin to `y`.
        mutating func join(_ starts: [Int], at y: Int) {
            for start in starts {
                elements.append(
                    "<path d=\"M \(boxX + 10) \(start) H 14 V \(y - 8) H \(boxX + boxWidth / 2 - 4)\" fill=\"none\" "
                        + "stroke=\"#9a6700\" stroke-dasharray=\"4 3\" marker-end=\"url(#rbx-flow-arrow)\"/>"
                        + text("false", x: 16, y: start - 4, size: 11, colour: "#9a6700"))
            }
        }

        func text(
            _ content: String, x: Int, y: Int, anchor: String = "start", size: Int = 13, weight: String = "400",
            colour: String = "#1d1d1f"
        ) -> String {
            "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"\(anchor)\" font-size=\"\(size)\" font-weight=\"\(weight)\" "
                + "fill=\"\(colour)\">\(HTMLText.escape(content))</text>"
        }

        func svg(height: Int, title: String) -> String {
            "<svg class=\"flow\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" "
                + "width=\"\(width)\" height=\"\(height)\" role=\"img\" font-family=\"system-ui, sans-serif\">"
                + "<title>\(HTMLText.escape(title))</title><defs><marker id=\"rbx-flow-arrow\" viewBox=\"0 0 10 10\" "
                + "refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#5f6368\"/></marker></defs>"
                + elements.joined() + "</svg>\n"
        }
    }
}
