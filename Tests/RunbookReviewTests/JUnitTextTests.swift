import Foundation
import Testing

@testable import RunbookReview

/// What a test name or failure message becomes in the JUnit report: nothing in it can end an
/// attribute, open an element or carry a character XML 1.0 refuses.
struct JUnitTextTests {
    @Test(
        "markup, line breaks and control characters",
        arguments: [
            ("plain", "plain"),
            (#"<a & "b" 'c'>"#, "&lt;a &amp; &quot;b&quot; &#39;c&#39;&gt;"),
            ("one\ntwo\r\nthree\tfour", "one&#10;two&#13;&#10;three&#9;four"),
            ("bell\u{7}nul\u{0}", "bell\u{FFFD}nul\u{FFFD}"),
            ("ünïcödé ✓", "ünïcödé ✓"),
        ])
    func escaped(text: String, expected: String) {
        #expect(RunbookTestReport.xml(text) == expected)
    }

    @Test("a timestamp in UTC without a zone; a test file as a dotted class name")
    func attributes() {
        #expect(RunbookTestReport.junitTimestamp(Date(timeIntervalSince1970: 1_765_000_000.9)) == "2025-12-06T05:46:40")
        #expect(RunbookTestReport.className("tests/team/instance-down.yaml") == "tests.team.instance-down")
    }
}
