public import Foundation
import RunbookCore

extension RunbookTestReport {
    /// The report as JUnit XML, for CI systems that show test results (Jenkins, GitLab, GitHub
    /// test reporters): one `testsuite` per test file, one `testcase` per runbook test, a failed
    /// test's expectations as its `failure` (each `path:line:column: message`), and errors in the
    /// catalog or test files as `error` test cases of a suite of their own.
    ///
    /// Written to the strictest of the common JUnit schemas (Ant's, which Jenkins validates
    /// against): every required attribute present, nothing it does not define, a timestamp
    /// without a zone.
    ///
    /// - Parameters:
    ///   - timestamp: when the tests ran (shown in UTC).
    ///   - hostname: the machine they ran on.
    public func junit(timestamp: Date, hostname: String) -> String {
        let time = Self.junitTimestamp(timestamp)
        let host = Self.xml(hostname.isEmpty ? "localhost" : hostname)
        var files: [String] = []
        var byFile: [String: [RunbookTestResult]] = [:]
        for result in results {
            if byFile[result.file] == nil { files.append(result.file) }
            byFile[result.file, default: []].append(result)
        }
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#, "<testsuites>"]
        for (index, file) in files.enumerated() {
            let tests = byFile[file] ?? []
            let seconds = tests.reduce(Duration.zero) { $0 + $1.duration }
            lines.append(
                #"  <testsuite name="\#(Self.xml(file))" package="rbx" id="\#(index)" timestamp="\#(time)" "#
                    + #"hostname="\#(host)" tests="\#(tests.count)" failures="\#(tests.count { !$0.passed })" "#
                    + #"errors="0" skipped="0" time="\#(Self.seconds(seconds))">"#)
            for test in tests {
                let open =
                    #"    <testcase name="\#(Self.xml(test.name.value))" "#
                    + #"classname="\#(Self.xml(Self.className(file)))" time="\#(Self.seconds(test.duration))""#
                guard let first = test.failures.first else {
                    lines.append(open + "/>")
                    continue
                }
                let text = test.failures.map { "\($0.location): error: \($0.message)" }.joined(separator: "\n")
                lines.append(open + ">")
                lines.append(
                    #"      <failure type="expectation" message="\#(Self.xml("\(first.location): \(first.message)"))">"#
                        + Self.xml(text) + "</failure>")
                lines.append("    </testcase>")
            }
            lines.append("  </testsuite>")
        }
        let errors = loadProblems.sortedByLocation().filter { $0.severity == .error }
        if !errors.isEmpty {
            lines.append(
                #"  <testsuite name="catalog and test files" package="rbx" id="\#(files.count)" "#
                    + #"timestamp="\#(time)" hostname="\#(host)" tests="\#(errors.count)" failures="0" "#
                    + #"errors="\#(errors.count)" skipped="0" time="0.000">"#)
            for error in errors {
                lines.append(
                    #"    <testcase name="\#(Self.xml("\(error.location)"))" classname="rbx.lint" time="0.000">"#)
                lines.append(
                    #"      <error type="\#(Self.xml(error.code))" message="\#(Self.xml(error.message))">"#
                        + Self.xml("\(error.location): error: \(error.message) [\(error.code)]") + "</error>")
                lines.append("    </testcase>")
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `tests/instance-down.yaml` → `tests.instance-down`: the dotted form CI tools group by.
    static func className(_ file: String) -> String {
        var name = file
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return name.replacingOccurrences(of: "/", with: ".")
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.3f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// `2026-12-07T19:30:00`: UTC, seconds, no zone (the schema's pattern).
    static func junitTimestamp(_ date: Date) -> String {
        String(RFC3339.format(epochMilliseconds: Int64(date.timeIntervalSince1970 * 1000)).prefix(19))
    }

    /// Text or attribute value escaped for XML 1.0: the five markup characters as HTML escapes
    /// them (``HTMLText``), line breaks and tabs as character references (so an attribute keeps
    /// them), and characters XML cannot carry (most control characters) as U+FFFD, so a hostile
    /// test name cannot break the document.
    static func xml(_ text: String) -> String {
        var carried = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let allowed =
                value >= 0x20 || value == 0x9 || value == 0xA || value == 0xD
            carried.append(allowed && !(0xFFFE...0xFFFF).contains(value) ? scalar : "\u{FFFD}")
        }
        return HTMLText.escape(String(carried)).replacingOccurrences(of: "\r\n", with: "&#13;&#10;")
            .replacingOccurrences(of: "\n", with: "&#10;").replacingOccurrences(of: "\r", with: "&#13;")
            .replacingOccurrences(of: "\t", with: "&#9;")
    }
}
