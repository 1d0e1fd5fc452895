internal import RunbookYAML

extension DocumentDecoder {
    /// `prometheus:` in `rbx.yaml`: named servers, each with a URL rbx asks and, optionally, a
    /// token given as a `${NAME}` reference (a literal would sit in git).
    mutating func prometheusServers(_ node: YAMLNode?) -> [PrometheusServer] {
        var servers: [PrometheusServer] = []
        for (name, serverNode) in stringMap(node, "prometheus") ?? [] {
            let what = "prometheus \"\(name.value)\""
            if !Self.isName(name.value) {
                error(
                    "name", "\(what) is not a valid name; use lowercase letters, digits and hyphens", at: name.location)
            }
            guard let fields = fields(serverNode, allowed: FormatKeys.prometheusServer, in: what),
                let url = string(required(fields, "url"), "\(what) url")
            else { continue }
            if let problem = Self.prometheusURLProblem(url.value) {
                error("prometheus-url", "\(what) url: \(problem)", at: url.location)
            }
            var server = PrometheusServer(name: name, url: url.value)
            if let token = string(fields["token"], "\(what) token") {
                if !Self.isWholeReference(token.value) {
                    error(
                        "secret-in-yaml",
                        "\(what) token must be a reference like \"${PROM_TOKEN}\" (the token, or PROM_TOKEN_FILE "
                            + "naming its file, comes from the environment), not the token itself",
                        at: token.location)
                } else {
                    server.token = token.value
                }
            }
            if let timeout = duration(fields["timeout"], "\(what) timeout") {
                if timeout.value <= .zero || timeout.value > .seconds(300) {
                    error("prometheus-timeout", "\(what) timeout must be between 1ms and 5m", at: timeout.location)
                } else {
                    server.timeout = timeout.value
                }
            }
            servers.append(server)
        }
        return servers
    }

    /// An `http://` or `https://` URL with a written host and nothing from a template.
    static func prometheusURLProblem(_ text: String) -> String? {
        if text.contains("{{") || text.contains("${") {
            return "\(text) holds {{…}} or ${…}; write the address (a token goes in token:)"
        }
        let lowered = text.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            return "\(text) is not an http:// or https:// URL"
        }
        return WebhookURL.problem(text)
    }

    static func isWholeReference(_ text: String) -> Bool {
        text.hasPrefix("${") && text.hasSuffix("}") && text.count > 3
            && text.dropFirst(2).dropLast().allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
