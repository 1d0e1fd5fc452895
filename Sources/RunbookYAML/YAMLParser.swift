internal import CYAML

/// Turns YAML text into a ``YAMLNode`` tree with positions, using libyaml's event parser.
///
/// rbx reads events rather than libyaml's document API so it can refuse dangerous input
/// while parsing: nesting deeper than ``Limits/maxDepth`` and aliases that would expand past
/// ``Limits/maxAliasNodes`` stop the parse at once, before any memory is spent on them.
///
/// ```swift
/// let root = try YAMLParser.parse(bytes, file: "runbooks/disk.yaml")
/// ```
public enum YAMLParser {
    public struct Limits: Sendable {
        /// Mappings and lists nested deeper than this are refused.
        public var maxDepth: Int
        /// The number of nodes aliases may add to a document.
        public var maxAliasNodes: Int

        public init(maxDepth: Int = 64, maxAliasNodes: Int = 10_000) {
            self.maxDepth = maxDepth
            self.maxAliasNodes = maxAliasNodes
        }
    }

    /// Parses one YAML document.
    ///
    /// - Returns: the root node, or nil for a file with no document at all (empty or comments only).
    /// - Throws: ``YAMLError`` for syntax errors (libyaml's message and mark), duplicate or
    ///   non-string keys, tabs in indentation, invalid UTF-8, too deep nesting, alias bombs,
    ///   unknown anchors, bad merge keys, and files with more than one document.
    public static func parse(
        _ bytes: some Collection<UInt8>, file: String, limits: Limits = Limits()
    ) throws(YAMLError) -> YAMLNode? {
        var buffer = Array(bytes)
        // A UTF-8 byte order mark (editors on Windows write one) is not content; left in, it
        // made libyaml report "did not find expected <document start>" on line 2.
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
        let result: Result<YAMLNode?, ParseFailure> = buffer.withUnsafeBufferPointer { pointer in
            var builder = YAMLTreeBuilder(file: file, limits: limits)
            do throws(ParseFailure) {
                try run(pointer, builder: &builder)
                return .success(builder.root)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let root): return root
        case .failure(let failure):
            throw YAMLErrorRefiner(source: buffer, file: file).refine(failure)
        }
    }

    /// What went wrong before the refiner has looked at the source text.
    enum ParseFailure: Error {
        case located(YAMLError)
        /// libyaml's reader (encoding) errors carry a byte offset instead of a mark.
        case reader(problem: String, byteOffset: Int, value: Int32)
    }

    private static func run(
        _ input: UnsafeBufferPointer<UInt8>, builder: inout YAMLTreeBuilder
    ) throws(ParseFailure) {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw .located(
                YAMLError(
                    code: .unreadable, message: "libyaml could not allocate a parser",
                    location: SourceLocation(file: builder.file, line: 1, column: 1)))
        }
        defer { yaml_parser_delete(parser) }
        // An empty buffer may have a nil base address; libyaml needs a valid pointer.
        var empty: UInt8 = 0
        let base = input.baseAddress ?? withUnsafeMutablePointer(to: &empty) { UnsafePointer($0) }
        yaml_parser_set_input_string(parser, base, input.count)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else {
                throw syntaxError(parser.pointee, file: builder.file)
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return }
            do {
                try builder.handle(event)
            } catch {
                throw .located(error)
            }
        }
    }

    private static func syntaxError(_ parser: yaml_parser_t, file: String) -> ParseFailure {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            return .reader(
                problem: problem, byteOffset: Int(parser.problem_offset), value: parser.problem_value)
        }
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            let mark = parser.context_mark
            message += " \(context) that started at line \(mark.line + 1), column \(mark.column + 1)"
        }
        let mark = parser.problem_mark
        return .located(
            YAMLError(
                code: .syntax, message: message,
                location: SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1)))
    }
}
