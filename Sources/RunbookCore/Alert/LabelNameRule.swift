/// Which alert label (and annotation) names intake accepts, as Alertmanager checks them.
///
/// Alertmanager's classic mode (0.25, and later versions without `utf8-strict-mode`) accepts
/// `[a-zA-Z_][a-zA-Z0-9_]*`; its UTF-8 mode any non-empty name. A name Alertmanager would refuse
/// is refused here too, so an alert that Alertmanager drops never starts a remediation in rbx.
public enum LabelNameRule: String, Sendable, Hashable, CaseIterable {
    case classic
    case utf8

    public func accepts(_ name: String) -> Bool {
        switch self {
        case .utf8: return !name.isEmpty
        case .classic:
            var first = true
            for byte in name.utf8 {
                let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
                guard letter || byte == UInt8(ascii: "_") || (digit && !first) else { return false }
                first = false
            }
            return !first
        }
    }
}
