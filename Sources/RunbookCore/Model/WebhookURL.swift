/// The rule for where a webhook may send: checked by `rbx lint`, not first when a page is due
/// at 3 a.m.
///
/// A webhook URL is `http://` or `https://` with a host written in the catalog. Secrets may sit
/// in the user-info, path or query (`${NAME}`), or the whole URL may come from one `${NAME}`
/// (a Slack-style secret URL); but the host part of an otherwise written URL may not come from
/// a reference, and nothing in it is a template: alert data never chooses where pages go.
public enum WebhookURL {
    /// What is wrong with `text` as a webhook URL, in words a person can act on; nil when fine.
    public static func problem(_ text: String) -> String? {
        if text.contains("{{") || text.contains("}}") {
            return "\(text) holds {{…}}: a webhook URL is not a template; alert data must not choose where pages go"
        }
        if isWholeReference(text) { return nil }
        guard let schemeEnd = text.firstRange(of: "://") else {
            return "\(text) is not a URL; write http://HOST/… or https://HOST/…"
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            return "\(scheme):// is not allowed for a webhook; use http:// or https://"
        }
        let authority = text[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        if hostAndPort.contains("${") {
            return "the host of \(text) comes from a ${…} reference; write the host, and keep secrets in the path, "
                + "query or headers (or take the whole URL from one ${NAME})"
        }
        let host = hostAndPort.hasPrefix("[") ? hostAndPort : hostAndPort.prefix { $0 != ":" }
        guard !host.isEmpty else { return "\(text) has no host" }
        if let port = hostAndPort.split(separator: ":", omittingEmptySubsequences: false).last,
            !hostAndPort.hasPrefix("["), hostAndPort.contains(":"), UInt16(port) == nil
        {
            return "\(text) has an invalid port \"\(port)\""
        }
        if let bad = host.first(where: { $0.isWhitespace || $0 == "\\" || $0 == "%" }) {
            return "\(text): the host holds \"\(bad)\""
        }
        return nil
    }

    private static func isWholeReference(_ text: String) -> Bool {
        text.hasPrefix("${") && text.hasSuffix("}")
            && text.dropFirst(2).dropLast().allSatisfy {
                $0.isLetter || $0.isNumber || $0 == "_"
            }
    }
}
