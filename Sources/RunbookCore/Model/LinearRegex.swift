internal import CRE2

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A regular expression matched in time linear in its input, by RE2: the engine, and the
/// syntax, of Prometheus and Alertmanager (Go's `regexp`).
///
/// Alert labels, annotations and command output are untrusted. A backtracking engine (Swift's
/// `Regex`) takes seconds to minutes on `(a+)+$` against a 20-character label, and a few such
/// alerts stall a whole server; RE2 has no backtracking to exploit. Patterns Alertmanager
/// refuses (backreferences, lookaround) are refused here too, with RE2's reason.
public final class LinearRegex: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: `handle` is an RE2 object, immutable after compilation and documented as safe
    // to use from many threads at once; it is freed only in deinit.
    /// The pattern as written.
    public let pattern: String
    private let handle: OpaquePointer

    /// - Throws: ``RegexSyntaxError`` with RE2's reason when the pattern is not valid RE2 syntax.
    public init(_ pattern: String) throws(RegexSyntaxError) {
        var error = [CChar](repeating: 0, count: 256)
        var source = Self.namedGroupsInPerlForm(pattern)
        let compiled = source.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                rbx_re2_compile(chars.baseAddress, chars.count, &error, error.count)
            }
        }
        guard let compiled else {
            let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw RegexSyntaxError(pattern: pattern, reason: reason)
        }
        self.pattern = pattern
        handle = compiled
    }

    deinit { rbx_re2_free(handle) }

    /// Capturing groups in the pattern.
    public var groupCount: Int { Int(rbx_re2_groups(handle)) }

    /// Whether the whole of `text` matches (as Alertmanager's matchers and `=~` anchor).
    public func wholeMatch(_ text: String) -> Bool {
        Self.withBytes(text) { rbx_re2_full_match(handle, $0.baseAddress, $0.count) == 1 }
    }

    /// Whether the pattern matches somewhere in `text`.
    public func contains(in text: String) -> Bool {
        Self.withBytes(text) { bytes in
            var start = 0
            var end = 0
            return rbx_re2_first_match(handle, bytes.baseAddress, bytes.count, 0, &start, &end) == 1
        }
    }

    /// Group `group` (0: the whole match) of the leftmost match in `text`; nil when nothing
    /// matches or the group did not take part in the match.
    public func firstMatch(in text: String, group: Int = 0) -> String? {
        Self.withBytes(text) { bytes -> String? in
            var start = 0
            var end = 0
            guard rbx_re2_first_match(handle, bytes.baseAddress, bytes.count, Int32(group), &start, &end) == 1 else {
                return nil
            }
            guard start >= 0, end >= start, end <= bytes.count else { return nil }
            return String(
                decoding: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<end]), as: UTF8.self)
        }
    }

    /// Group `group` (0: the whole match) of every match in `text`, left to right, at most
    /// `limit` of them; a match whose group took no part gives nothing. An empty match moves
    /// on by one character, so `a*` over "baa" finds "", "aa", "".
    public func allMatches(in text: String, group: Int = 0, limit: Int = 100_000) -> [String] {
        Self.withBytes(text) { bytes -> [String] in
            var results: [String] = []
            var from = 0
            var matchEnd = 0
            var start = 0
            var end = 0
            while results.count < limit, from <= bytes.count,
                rbx_re2_match_from(handle, bytes.baseAddress, bytes.count, from, Int32(group), &matchEnd, &start, &end)
                    == 1
            {
                if start >= 0, end >= start, end <= bytes.count {
                    results.append(
                        String(
                            decoding: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<end]),
                            as: UTF8.self))
                }
                guard matchEnd >= from else { break }
                if matchEnd > from {
                    from = matchEnd
                } else {
                    // An empty match: step over one whole UTF-8 character.
                    from += 1
                    while from < bytes.count, UInt8(bitPattern: bytes[from]) & 0xC0 == 0x80 { from += 1 }
                }
            }
            return results
        }
    }

    /// `text` with every match replaced by `replacement`, taken literally.
    public func replacingMatches(in text: String, with replacement: String) -> String {
        var rewrite = replacement
        return Self.withBytes(text) { bytes in
            rewrite.withUTF8 { replacementBytes in
                replacementBytes.withMemoryRebound(to: CChar.self) { replacementChars in
                    var length = 0
                    guard
                        let result = rbx_re2_replace_all(
                            handle, bytes.baseAddress, bytes.count, replacementChars.baseAddress,
                            replacementChars.count, &length)
                    else { return text }
                    defer { free(result) }
                    return String(
                        decoding: UnsafeRawBufferPointer(start: result, count: length), as: UTF8.self)
                }
            }
        }
    }

    public var description: String { pattern }

    /// `(?<name>…)` as `(?P<name>…)`: Go's regexp (and so Alertmanager) accepts both spellings of
    /// a named group since Go 1.22; the RE2 Debian ships accepts only the second. Escapes and
    /// character classes are left alone, and lookbehind (`(?<=`, `(?<!`) stays refused, as in Go.
    static func namedGroupsInPerlForm(_ pattern: String) -> String {
        guard pattern.contains("(?<") else { return pattern }
        var result = ""
        var inClass = false
        var escaped = false
        var characters = pattern[...]
        while let character = characters.popFirst() {
            result.append(character)
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if inClass {
                if character == "]" { inClass = false }
            } else if character == "[" {
                inClass = true
            } else if character == "(", characters.hasPrefix("?<"),
                let next = characters.dropFirst(2).first, next != "=", next != "!"
            {
                result += "?P<"
                characters = characters.dropFirst(2)
            }
        }
        return result
    }

    private static func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<CChar>) -> T) -> T {
        var text = text
        return text.withUTF8 { bytes in bytes.withMemoryRebound(to: CChar.self, body) }
    }
}
