/// Why `rbx import` could not read a Markdown file at all: too large, not UTF-8, unreadable,
/// or an output file that already exists.
///
/// Everything else the importer meets (an unclosed fence, a sentence it cannot parse) is not an
/// error but a review item in ``ImportReport``: one odd section must not lose the others.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, stable for scripts; a struct over a private enum so new cases break no
    /// caller.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String { case unreadable, tooLarge, notUTF8, exists, unwritable, noSections }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        public static let unreadable = Code(.unreadable)
        public static let tooLarge = Code(.tooLarge)
        public static let notUTF8 = Code(.notUTF8)
        public static let exists = Code(.exists)
        public static let unwritable = Code(.unwritable)
        public static let noSections = Code(.noSections)

        public var description: String {
            switch value {
            case .unreadable: "unreadable"
            case .tooLarge: "too-large"
            case .notUTF8: "not-utf8"
            case .exists: "exists"
            case .unwritable: "unwritable"
            case .noSections: "no-sections"
            }
        }
    }

    public var code: Code
    public var message: String
    public var file: String
    public var line: Int
    public var column: Int

    public init(_ code: Code, _ message: String, file: String, line: Int = 1, column: Int = 1) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col: error: message`, as every rbx diagnostic prints.
    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}
