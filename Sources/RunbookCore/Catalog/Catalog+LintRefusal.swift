extension Catalog {
    /// Why a command that acts on the catalog (`rbx run`, `rbx drill`, `rbx serve`, a reload,
    /// `rbx doctor`) will not use this one: how many lint errors it has and the first, or nil
    /// when it has none. One wording, so every command says it the same way.
    public var lintRefusal: String? {
        let errors = diagnostics.sortedByLocation().filter { $0.severity == .error }
        guard let first = errors.first else { return nil }
        return "the catalog has \(errors.count) lint error\(errors.count == 1 ? "" : "s"); fix them first "
            + "(rbx lint shows all)\n  \(first)"
    }
}
