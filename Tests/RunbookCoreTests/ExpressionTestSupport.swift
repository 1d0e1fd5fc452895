import RunbookCore

/// A context backed by a dictionary, for tests. Keys are dotted paths (`steps.disk.ok`);
/// a component containing dots is added with `components:`.
struct ExpressionTestContext: ExpressionContext, Sendable {
    var values: [[String]: ExpressionValue]

    init(_ dotted: [String: ExpressionValue] = [:], components: [[String]: ExpressionValue] = [:]) {
        values = components
        for (key, value) in dotted {
            values[key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)] = value
        }
    }

    /// The value at `path`, or the longest stored prefix's value walked into (`body.status`).
    func value(at path: [String]) -> ExpressionValue {
        for length in stride(from: path.count, through: 1, by: -1) {
            if let value = values[Array(path.prefix(length))] { return value.value(at: path.dropFirst(length)) }
        }
        return .null
    }
}

/// Records which paths were read, to prove short-circuiting.
final class ExpressionRecordingContext: ExpressionContext {
    var read: [String] = []
    let base: ExpressionTestContext

    init(_ base: ExpressionTestContext) { self.base = base }

    func value(at path: [String]) -> ExpressionValue {
        read.append(path.joined(separator: "."))
        return base.value(at: path)
    }
}

extension String {
    /// The number of Unicode scalars, the unit of every offset.
    var expressionScalarCount: Int { unicodeScalars.count }
}
