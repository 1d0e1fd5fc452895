/// Numbers as plain decimal text, both ways, without Foundation.
///
/// The condition grammar has no exponent notation, so printing must never produce `1e+16`
/// (``Expression/description`` has to re-parse), and parsing must not accept what `Double(_:)`
/// accepts beyond the grammar (`inf`, `nan`, `0x1p3`, `1e3`).
enum DecimalText {
    /// `93`, `-0.5`, `10000000000000000`; `inf`/`-inf`/`nan` for non-finite values, which
    /// never come from the parser.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        // A truncating conversion and a check, rather than `rounded()` or `Int64(exactly:)`,
        // which call libm (`round`, `trunc`) and fail to link without Foundation on Linux.
        if abs(value) < 9_007_199_254_740_992 {
            let integer = Int64(value)
            if Double(integer) == value { return String(integer) }
        }
        let text = value.description
        // Swift writes large integral values as `9007199254740992.0`, others with an exponent.
        if text.hasSuffix(".0") { return String(text.dropLast(2)) }
        return expandExponent(text)
    }

    /// Rewrites Swift's shortest round-trip text (`1.5e-07`) positionally (`0.00000015`).
    private static func expandExponent(_ text: String) -> String {
        let parts = text.split(separator: "e", maxSplits: 1)
        guard parts.count == 2, let exponent = Int(parts[1]) else { return text }
        var mantissa = Substring(parts[0])
        var sign = ""
        if mantissa.hasPrefix("-") {
            sign = "-"
            mantissa = mantissa.dropFirst()
        }
        let pointIndex = mantissa.firstIndex(of: ".")
        let integerDigits = pointIndex.map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = String(mantissa.filter { $0 != "." })
        var point = integerDigits + exponent
        while digits.count > 1, digits.hasPrefix("0") {
            digits.removeFirst()
            point -= 1
        }
        if point <= 0 {
            return sign + "0." + String(repeating: "0", count: -point) + digits
        }
        if point >= digits.count {
            return sign + digits + String(repeating: "0", count: point - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// The value of `-?[0-9]+(.[0-9]+)?` with optional surrounding ASCII whitespace, else nil.
    static func parse(_ text: String) -> Double? {
        let bytes = text.utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start = bytes.index(after: start) }
        while start < end, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        guard start < end, isDecimal(bytes[start..<end]) else { return nil }
        return Double(Substring(text.utf8[start..<end]))
    }

    /// Whether the bytes are exactly `-?[0-9]+(.[0-9]+)?`.
    static func isDecimal(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var byte = iterator.next()
        if byte == UInt8(ascii: "-") { byte = iterator.next() }
        var integerDigits = 0
        while let current = byte, isDigit(current) {
            integerDigits += 1
            byte = iterator.next()
        }
        guard integerDigits > 0 else { return false }
        guard let dot = byte else { return true }
        guard dot == UInt8(ascii: ".") else { return false }
        var fractionDigits = 0
        while let current = iterator.next() {
            guard isDigit(current) else { return false }
            fractionDigits += 1
        }
        return fractionDigits > 0
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }
}
