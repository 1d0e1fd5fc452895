import Foundation

/// Resolves `${NAME}` references from the environment (or the file named by `NAME_FILE`).
///
/// Every resolved value is registered with the run's ``Redactor`` before it is used, so it
/// can never surface in output, evidence or logs.
public struct SecretResolver: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// The text with each `${NAME}` replaced by its value.
    ///
    /// - Throws: ``SecretError`` naming the variable when it is set neither directly nor as a file.
    public func resolve(_ text: String, redactor: inout Redactor) throws(SecretError) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = text[...]
        while let open = rest.firstRange(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw SecretError(name: String(rest[open.upperBound...]), reason: "the reference is not closed with }")
            }
            let name = String(rest[open.upperBound..<close])
            let value = try lookup(name)
            redactor.add(secret: value)
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Like ``resolve(_:redactor:)``, but a reference that cannot be resolved stays as written
    /// (`${NAME}`): for commands that are rendered and never run.
    public func resolveAvailable(_ text: String, redactor: inout Redactor) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = text[...]
        while let open = rest.firstRange(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            result += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close])
            if let value = try? lookup(name) {
                redactor.add(secret: value)
                result += value
            } else {
                result += "${\(name)}"
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    private func lookup(_ name: String) throws(SecretError) -> String {
        if let value = environment[name] { return value }
        if let path = environment[name + "_FILE"] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SecretError(name: name, reason: "\(name)_FILE names \(path), which cannot be read")
            }
            var value = String(decoding: data, as: UTF8.self)
            while value.hasSuffix("\n") || value.hasSuffix("\r") { value.removeLast() }
            return value
        }
        throw SecretError(name: name, reason: "set \(name) (or \(name)_FILE) in rbx's environment")
    }
}

public struct SecretError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var reason: String
    public var description: String { "secret ${\(name)} is not available: \(reason)" }
}
