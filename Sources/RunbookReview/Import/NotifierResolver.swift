import Foundation

/// Finds the notifier of `rbx.yaml` an escalation sentence means: "secondary" is
/// `secondary-oncall`, "the engineering manager" `engineering-manager`.
///
/// A name is a match when it is the target's slug, or starts or ends with it as whole words
/// (`secondary` → `secondary-oncall`, `dba` → `dba-oncall`), or is contained in it
/// (`primary on-call engineer` → `primary`). Several candidates or none: no match.
public struct NotifierResolver: Sendable {
    public var declared: [String]

    public init(declared: [String]) { self.declared = declared }

    public enum Resolution: Sendable, Equatable {
        case exact(String)
        case guessed(String)
        case unknown(slug: String)
    }

    public func resolve(_ target: String) -> Resolution {
        let slug = Self.slug(target)
        if declared.contains(slug) { return .exact(slug) }
        let words = slug.split(separator: "-").filter { !["the", "on", "call", "oncall", "team"].contains($0) }
        let core = words.joined(separator: "-")
        var candidates = declared.filter { name in
            !core.isEmpty && (name.hasPrefix(core + "-") || name.hasSuffix("-" + core) || name == core)
        }
        if candidates.isEmpty {
            candidates = declared.filter { name in ("-" + slug + "-").contains("-" + name + "-") }
        }
        if candidates.count == 1 { return .guessed(candidates[0]) }
        return .unknown(slug: slug)
    }

    /// A notifier or runbook name made from text: lowercase words joined by `-`, at most 63
    /// characters (`Engineering Manager` → `engineering-manager`).
    public static func slug(_ text: String) -> String {
        var result = ""
        var lastWasDash = true
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                result.append(character)
                lastWasDash = false
            } else if !lastWasDash {
                result.append("-")
                lastWasDash = true
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        if result.count > 63 {
            result = String(result.prefix(63))
            while result.hasSuffix("-") { result.removeLast() }
        }
        return result
    }

    /// `InstanceDown` → `instance-down`, `HTTP5xxRate` → `http5xx-rate`.
    public static func slug(camelCase text: String) -> String {
        var spaced = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            if index > 0, character.isUppercase,
                characters[index - 1].isLowercase
                    || (index + 1 < characters.count && characters[index + 1].isLowercase
                        && characters[index - 1].isUppercase)
            {
                spaced.append(" ")
            }
            spaced.append(character)
        }
        return slug(spaced)
    }
}
