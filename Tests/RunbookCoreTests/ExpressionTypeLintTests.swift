import RunbookCore
import Testing

@Suite("Lint: structured outputs and expression types")
struct ExpressionTypeLintTests {
    @Test("types are checked where known, at the column; structured outputs are decoded with located errors")
    func typeErrors() async throws {
        let file = "runbooks/structured.yaml"
        let found = try await TestCatalog.diagnostics(runbooks: ["structured.yaml"])
        #expect(
            found == [
                "\(file):20:11: error: \">\" compares numbers or text; steps.df.outputs.used is a list of strings [type]",
                "\(file):20:46: error: len() takes a list, an object or a string; steps.df.ok is a boolean [type]",
                "\(file):20:67: error: steps.df.outputs.first is a string; it has no field \"x\" [type]",
                "\(file):21:21: error: \"*\" needs numbers; steps.df.outputs.used is a list of strings [type]",
                "\(file):21:72: error: weekday() gives mon, tue, wed, thu, fri, sat, sun; \"monday\" never matches [type]",
                "\(file):21:100: error: unknown time zone \"Mars/Base\"; use an IANA name such as \"Europe/Berlin\" or \"UTC\" [type]",
                "\(file):26:28: error: run argument: this function does not take a \"for\" list [interpolation]",
                "\(file):30:25: error: sum() takes a list of numbers; steps.df.outputs.mounts[0] is a string [type]",
                "\(file):30:77: error: steps.df.stdout is a string; only lists and objects can be indexed [type]",
                "\(file):30:91: error: \"-\" needs numbers; alert.labels is an object [type]",
                "\(file):33:20: error: outputs.bad.json: a JSON path starts with \".\", as in .data.count [json-path]",
                "\(file):34:13: error: outputs.both needs exactly one of regex, lines or json, found regex and lines [output-form]",
                "\(file):35:29: error: outputs.noall.all only applies to regex; lines and json already give lists [output-form]",
            ], "\(found.joined(separator: "\n"))")
    }
}

@Suite("Lint: on_failure, finally, workdir, playbook outputs, durations from inputs")
struct ControlFlowLintTests {
    @Test("cleanup steps see every step before them; ids are unique across the lists; durations only from inputs")
    func controlFlow() async throws {
        let file = "runbooks/control-flow.yaml"
        let found = try await TestCatalog.diagnostics(runbooks: ["control-flow.yaml"])
        #expect(
            found == [
                "\(file):12:18: error: a duration can come from a playbook input ({{ inputs.grace }}), not from alert.labels.timeout: alert data and command output must not decide how long a step runs or waits [duration-reference]",
                "\(file):13:14: error: workdir \"srv/app\" must be an absolute path [workdir]",
                "\(file):18:5: error: workdir applies to run and shell steps [key-for-kind]",
                "\(file):21:47: error: step \"restart\" declares no output \"restart_ok\"; did you mean \"restarted\"? [unknown-reference]",
                "\(file):22:21: error: step \"cleanup_a\" runs later; a step can only use the results of steps before it [unknown-reference]",
                "\(file):27:62: error: step \"later\" runs later; a step can only use the results of steps before it [unknown-reference]",
                "\(file):29:9: error: step id \"check\" is already used at line 9 [duplicate-step]",
                "\(file):37:19: error: a duration can come from a playbook input ({{ inputs.grace }}), not from steps.check.stdout: alert data and command output must not decide how long a step runs or waits [duration-reference]",
            ], "\(found.joined(separator: "\n"))")
    }
}

@Suite("Lint: stop steps")
struct StopLintTests {
    @Test("a stop needs its reason, belongs to the steps, and an unconditional one makes the rest unreachable")
    func stops() async throws {
        let file = "runbooks/stops.yaml"
        let found = try await TestCatalog.diagnostics(runbooks: ["stops.yaml"])
        #expect(
            found == [
                "\(file):12:5: warning: step \"never\" never runs: step \"done\" stops the run unconditionally; give the stop a when, or move these steps to finally [unreachable]",
                "\(file):16:5: error: step is missing required key \"stop\" [missing-key]",
                "\(file):19:5: error: stop ends a run's steps; in on_failure or finally there is nothing left to stop [stop-placement]",
            ], "\(found.joined(separator: "\n"))")
    }
}
