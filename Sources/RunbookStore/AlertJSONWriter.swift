import RunbookCore

/// Writes an alert as the JSON its `Codable` conformance reads back, by hand: intake stores one
/// body per alert, and Foundation's `JSONEncoder` was an eighth of intake's CPU time.
enum AlertJSONWriter {
    static func json(_ alert: Alert) -> String {
        var out = "{"
        out.reserveCapacity(256)
        var first = true
        func key(_ name: String) {
            if !first { out += "," }
            first = false
            out += "\""
            out += name
            out += "\":"
        }
        func field(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            appendString(value, to: &out)
        }
        func map(_ name: String, _ values: [String: String]) {
            key(name)
            out += "{"
            var firstEntry = true
            for (label, value) in values.sorted(by: { $0.key < $1.key }) {
                if !firstEntry { out += "," }
                firstEntry = false
                appendString(label, to: &out)
                out += ":"
                appendString(value, to: &out)
            }
            out += "}"
        }
        field("fingerprint", alert.fingerprint)
        field("name", alert.name)
        field("source", alert.source)
        field("severity", alert.severity)
        field("rawSeverity", alert.rawSeverity)
        field("status", alert.status.rawValue)
        map("labels", alert.labels)
        map("annotations", alert.annotations)
        field("startsAt", alert.startsAt)
        field("endsAt", alert.endsAt)
        field("generatorURL", alert.generatorURL)
        return out + "}"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped. Text that
    /// needs no escaping (nearly all label values) is appended whole.
    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += text
            out += "\""
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            case 0x09: bytes += [0x5C, 0x74]
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
        out += "\""
    }
}
