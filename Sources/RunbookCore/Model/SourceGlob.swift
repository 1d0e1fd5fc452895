/// A `match.source` pattern: `*` matches any run of characters, `?` exactly one.
public struct SourceGlob: Sendable, Hashable, CustomStringConvertible {
    public var pattern: String

    public init(_ pattern: String) { self.pattern = pattern }

    public var isLiteral: Bool { !pattern.contains("*") && !pattern.contains("?") }

    /// Iterative glob matching with single-star backtracking: linear in practice and never
    /// exponential, whatever an alert's source looks like.
    public func matches(_ text: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        let t = Array(text.unicodeScalars)
        var pi = 0
        var ti = 0
        var starP = -1
        var starT = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                starP = pi
                starT = ti
                pi += 1
            } else if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    public var description: String { pattern }
}
