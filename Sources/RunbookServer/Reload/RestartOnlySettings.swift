import RunbookCore

/// The settings of rbx.yaml that a reload does not change, because the server built something
/// from them when it started: the listening socket and its limits, the store, the API tokens, the
/// evidence directory and key, the environment passed to notifiers, the log redactor's patterns
/// and the worker pool. A reload keeps their running values and says which differ, so a person
/// knows a restart is needed for them.
enum RestartOnlySettings {
    /// Copies the running values of the restart-only settings from `running` into `loaded`;
    /// returns the names (as in rbx.yaml) of those that differed.
    static func carry(from running: CatalogConfig, into loaded: inout CatalogConfig) -> [String] {
        var differing: [String] = []
        func keep<Value: Equatable>(_ name: String, _ path: WritableKeyPath<CatalogConfig, Value>) {
            if loaded[keyPath: path] != running[keyPath: path] { differing.append(name) }
            loaded[keyPath: path] = running[keyPath: path]
        }
        keep("server.listen", \.listen)
        keep("store", \.store)
        keep("server.max_body", \.maxBody)
        keep("server (workers, claim_lock, timeouts …)", \.server)
        keep("auth.token", \.authToken)
        keep("auth.token_file", \.authTokenFile)
        keep("auth.tokens", \.authTokens)
        keep("evidence.dir", \.evidenceDirectory)
        keep("evidence.signing_key", \.evidenceSigningKey)
        keep("env.allow", \.envAllow)
        keep("secrets.patterns", \.secretPatterns)
        return differing
    }
}
