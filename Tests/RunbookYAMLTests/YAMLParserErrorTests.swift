import Foundation
import RunbookYAML
import Testing

/// Each class of refused YAML, pinned to its exact location and message.
struct YAMLParserErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var fixture: String
        var code: YAMLError.Code
        var expected: String
        var testDescription: String { fixture }
    }

    static let cases: [Case] = [
        Case(
            fixture: "duplicate-key.yaml", code: .duplicateKey,
            expected: "duplicate-key.yaml:6:3: error: duplicate key \"name\" (first defined at line 4, column 3)"),
        Case(
            fixture: "syntax-error.yaml", code: .syntax,
            expected:
                "syntax-error.yaml:6:1: error: found unexpected end of stream while scanning a quoted scalar that started at line 5, column 17"
        ),
        Case(
            fixture: "tab-indentation.yaml", code: .tab,
            expected: "tab-indentation.yaml:3:1: error: tab character in indentation; YAML indents with spaces only"),
        Case(
            fixture: "invalid-utf8.yaml", code: .invalidUTF8,
            expected:
                "invalid-utf8.yaml:4:12: error: invalid UTF-8 byte 0xe9 (incomplete UTF-8 octet sequence); rbx reads UTF-8 only"
        ),
        Case(
            fixture: "non-string-key.yaml", code: .nonStringKey,
            expected:
                "non-string-key.yaml:3:3: error: mapping key 404 is a number, not a string; quote it (\"404\") if you mean the text"
        ),
        Case(
            fixture: "complex-key.yaml", code: .nonStringKey,
            expected: "complex-key.yaml:2:3: error: mapping key is a list; keys must be strings"),
        Case(
            fixture: "multi-document.yaml", code: .multipleDocuments,
            expected:
                "multi-document.yaml:3:1: error: file holds more than one YAML document (the next one starts here); put one runbook or playbook per file"
        ),
        Case(
            fixture: "alias-bomb.yaml", code: .aliasBudget,
            expected: "alias-bomb.yaml:5:8: error: aliases expand to more than 10000 nodes (an alias bomb?)"),
        Case(
            fixture: "deep-nesting.yaml", code: .tooDeep,
            expected: "deep-nesting.yaml:1:65: error: nesting deeper than 64 levels"),
        Case(
            fixture: "deep-nesting-block.yaml", code: .tooDeep,
            expected: "deep-nesting-block.yaml:1:129: error: nesting deeper than 64 levels"),
        Case(
            fixture: "unknown-anchor.yaml", code: .unknownAnchor,
            expected:
                "unknown-anchor.yaml:1:4: error: unknown anchor \"missing\"; define it with &missing before using *missing"
        ),
    ]

    @Test("refused YAML is reported at the exact place", arguments: cases)
    func refusedYAML(_ testCase: Case) throws {
        let error = try #require(try Fixture.error(testCase.fixture))
        #expect(error.code == testCase.code)
        #expect(error.description == testCase.expected)
    }

    @Test("an alias bomb and 10,000-deep nesting are refused quickly")
    func hostileInputIsCheap() throws {
        let clock = ContinuousClock()
        for fixture in ["alias-bomb.yaml", "deep-nesting.yaml", "deep-nesting-block.yaml"] {
            let bytes = try Fixture.bytes(fixture)
            let elapsed = clock.measure {
                #expect(throws: YAMLError.self) { try YAMLParser.parse(bytes, file: fixture) }
            }
            // A generous bound: the real figure is microseconds. This guards against the
            // parser expanding the bomb or recursing, not against a slow machine.
            #expect(elapsed < .seconds(1), "\(fixture) took \(elapsed)")
        }
    }

    @Test("an invalid control character is named by code point")
    func controlCharacter() {
        let bytes = Array("a: b\u{07}\n".utf8)
        #expect(
            throws: YAMLError(
                code: .invalidUTF8, message: "control character U+0007 is not allowed in YAML",
                location: SourceLocation(file: "bell.yaml", line: 1, column: 5))
        ) {
            try YAMLParser.parse(bytes, file: "bell.yaml")
        }
    }

    @Test(
        "keys that YAML reads as booleans or null are refused",
        arguments: [
            ("true: x\n", "mapping key true is a boolean, not a string; quote it (\"true\") if you mean the text"),
            ("~: x\n", "mapping key ~ is a null, not a string; quote it (\"~\") if you mean the text"),
            ("1.5: x\n", "mapping key 1.5 is a number, not a string; quote it (\"1.5\") if you mean the text"),
        ])
    func nonStringScalarKeys(_ text: String, _ message: String) {
        #expect(
            throws: YAMLError(
                code: .nonStringKey, message: message, location: SourceLocation(file: "k.yaml", line: 1, column: 1))
        ) {
            try YAMLParser.parse(Array(text.utf8), file: "k.yaml")
        }
    }
}
