extension EvidenceWriter {
    /// Writes the bundle under `name`, or under `name_2`, `name_3`… (up to `name_9`) when that
    /// is taken, for a run that may have more than one bundle: a server run taken over from a
    /// worker whose claim expired, which may have written its own before it learnt so. Bundles
    /// are never merged or overwritten, so each stays whole beside the other.
    /// - Throws: what ``write(name:files:)`` throws; ``EvidenceError/Code/alreadyExists`` when
    ///   all nine names are taken.
    public func writeBeside(
        name: String, files: [EvidenceFile]
    ) throws(EvidenceError) -> (path: String, manifestDigest: String) {
        var attempt = 1
        while true {
            do {
                return try write(name: attempt == 1 ? name : "\(name)_\(attempt)", files: files)
            } catch  where error.code == .alreadyExists && attempt < 9 {
                attempt += 1
            }
        }
    }
}
