import RunbookYAML
import Testing

/// The tree the parser builds: positions, styles, anchors and merges.
struct YAMLParserTreeTests {
    private func parse(_ text: String) throws -> YAMLNode {
        try #require(try YAMLParser.parse(Array(text.utf8), file: "t.yaml"))
    }

    @Test("every node carries file, start and end")
    func positions() throws {
        let root = try parse("metadata:\n  name: disk\nsteps:\n  - id: check\n    run: [df, -h]\n")
        #expect(root.file == "t.yaml")
        let name = try #require(root["metadata"]?["name"])
        #expect(name.scalar?.value == "disk")
        #expect(name.start == SourcePosition(line: 2, column: 9))
        #expect(name.end == SourcePosition(line: 2, column: 13))
        let entries = try #require(root["metadata"]?.mapping)
        #expect(entries[0].keyStart == SourcePosition(line: 2, column: 3))
        let argv = try #require(root["steps"]?.sequence?.first?["run"]?.sequence)
        #expect(argv.map { $0.scalar?.value } == ["df", "-h"])
        #expect(argv[1].start == SourcePosition(line: 5, column: 15))
    }

    @Test("scalar styles are kept so null and quoted text can be told apart")
    func styles() throws {
        let root = try parse("a: ~\nb: \"~\"\nc: 'x'\nd: |\n  line\ne: >\n  folded\n")
        #expect(root["a"]?.scalar?.isNull == true)
        #expect(root["b"]?.scalar?.isNull == false)
        #expect(root["c"]?.scalar?.style == .singleQuoted)
        #expect(root["d"]?.scalar == YAMLScalar(value: "line\n", style: .literal))
        #expect(root["e"]?.scalar?.style == .folded)
    }

    @Test("aliases copy their anchor and merge keys fill in missing keys")
    func anchorsAndMerges() throws {
        let root = try #require(
            try YAMLParser.parse(try Fixture.bytes("anchors-merge.yaml"), file: "anchors-merge.yaml"))
        let step = try #require(root["step"]?.mapping)
        #expect(step.map(\.key) == ["retries", "id", "timeout"])
        #expect(root["step"]?["retries"]?.scalar?.value == "5")
        #expect(root["step"]?["timeout"]?.scalar?.value == "30s")
        // The merged value keeps the anchor's position: errors point where it was written.
        #expect(root["step"]?["timeout"]?.start == SourcePosition(line: 3, column: 12))
        #expect(root["list"]?.sequence?.count == 2)
    }

    @Test("a merge of something that is not a mapping is refused")
    func badMerge() {
        #expect(
            throws: YAMLError(
                code: .invalidMerge, message: "a merge key (<<) takes a mapping or a list of mappings, found a scalar",
                location: SourceLocation(file: "t.yaml", line: 1, column: 9))
        ) {
            try YAMLParser.parse(Array("a: {<<: x}\n".utf8), file: "t.yaml")
        }
    }

    @Test("an empty file or a comment-only file has no document")
    func emptyFiles() throws {
        #expect(try YAMLParser.parse([UInt8](), file: "e.yaml") == nil)
        #expect(try YAMLParser.parse(Array("# only a comment\n".utf8), file: "e.yaml") == nil)
    }

    @Test("an explicit document start marker alone is fine")
    func singleDocumentMarker() throws {
        let root = try parse("---\nkind: Runbook\n")
        #expect(root["kind"]?.scalar?.value == "Runbook")
    }

    @Test("a sequence document parses; refusing it is the loader's job")
    func sequenceDocument() throws {
        let root = try #require(try YAMLParser.parse(try Fixture.bytes("sequence-document.yaml"), file: "s.yaml"))
        #expect(root.sequence?.count == 2)
    }

    @Test("within the alias budget, aliases are fine")
    func aliasesWithinBudget() throws {
        let text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"
        let root = try parse(text)
        #expect(root["b"]?.sequence?.count == 3)
        let limits = YAMLParser.Limits(maxDepth: 64, maxAliasNodes: 8)
        #expect(throws: YAMLError.self) { try YAMLParser.parse(Array(text.utf8), file: "t.yaml", limits: limits) }
    }
}
