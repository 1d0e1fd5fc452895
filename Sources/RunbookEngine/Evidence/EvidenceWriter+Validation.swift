extension EvidenceWriter {
    /// Checks the bundle name and every file path before anything touches the disk, and
    /// returns the files sorted by path bytes (the manifest's order, and the order written).
    ///
    /// Refusing up front gives one clear message per mistake instead of an `open(2)` error
    /// half-way through, and means a refused write leaves nothing behind, not even a
    /// temporary directory.
    static func validated(
        name: String, files: [EvidenceFile]
    ) throws(EvidenceError) -> [(
        path: [UInt8], file: EvidenceFile
    )] {
        if let reason = EvidencePath.problem(withName: name) {
            throw EvidenceError(
                code: .invalidName,
                message: "invalid evidence bundle name \(String(reflecting: name)): \(reason)",
                path: name
            )
        }
        var ordered: [(path: [UInt8], file: EvidenceFile)] = []
        ordered.reserveCapacity(files.count)
        for file in files {
            let bytes = Array(file.path.utf8)
            if let reason = EvidencePath.problem(with: bytes) {
                throw EvidenceError(
                    code: .invalidPath,
                    message: "invalid evidence path \(String(reflecting: file.path)): \(reason)",
                    path: file.path
                )
            }
            ordered.append((bytes, file))
        }
        ordered.sort { EvidencePath.precedes($0.path, $1.path) }

        // Keyed by bytes: Swift's String equality would merge canonically equivalent names
        // that the file system keeps apart.
        var filePaths: Set<[UInt8]> = []
        for (index, entry) in ordered.enumerated() where index > 0 && ordered[index - 1].path == entry.path {
            throw EvidenceError(
                code: .duplicatePath,
                message: "evidence path \(String(reflecting: entry.file.path)) is given twice",
                path: entry.file.path
            )
        }
        for entry in ordered { filePaths.insert(entry.path) }
        for entry in ordered {
            var prefix: [UInt8] = []
            for component in entry.path.split(separator: UInt8(ascii: "/")).dropLast() {
                prefix += prefix.isEmpty ? Array(component) : [UInt8(ascii: "/")] + component
                if filePaths.contains(prefix) {
                    let directory = String(decoding: prefix, as: UTF8.self)
                    throw EvidenceError(
                        code: .pathCollision,
                        message: "evidence path \(String(reflecting: entry.file.path)) needs \"\(directory)\" "
                            + "to be a directory, but \"\(directory)\" is also given as a file",
                        path: entry.file.path
                    )
                }
            }
        }
        return ordered
    }
}
