extension EvidenceWriter {
    /// A point in ``EvidenceWriter/write(name:files:)`` where a test can interfere.
    ///
    /// Atomicity is a claim about what happens when things go wrong half-way; these stages let
    /// the tests make them go wrong at each interesting moment, with real files on disk, instead
    /// of trusting that the ordering of calls is right.
    enum Stage: Sendable, Equatable {
        /// The temporary directory exists and holds the first `count` files, synced.
        case wroteFiles(count: Int, temporaryPath: String)
        /// Everything is written and synced; the rename to `finalPath` is next.
        case beforeRename(temporaryPath: String, finalPath: String)
    }

    /// What the writer does after a ``Stage``.
    enum FaultAction: Sendable, Equatable {
        /// Carry on as normal.
        case proceed
        /// Fail as if the operating system had refused: clean up and throw.
        case fail
        /// Stop dead without cleaning up, as if the process had been killed: whatever is on
        /// disk stays as a crash would leave it.
        case crash
    }

    /// Called at each ``Stage``; tests only.
    typealias FaultHook = @Sendable (Stage) -> FaultAction

    /// A writer that consults `hook` at each stage, for tests of failure and crash atomicity.
    init(directory: String, faultHook: @escaping FaultHook) {
        self.init(directory: directory)
        self.faultHook = faultHook
    }
}
