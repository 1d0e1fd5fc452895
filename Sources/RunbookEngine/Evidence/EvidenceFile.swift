/// One file of an evidence bundle: where it goes inside the bundle and its exact bytes.
///
/// The path is relative to the bundle and `/`-separated (`steps/01-containers.stdout`);
/// subdirectories are created as needed. Contents are bytes, not text, because step output
/// is recorded exactly as the process wrote it, valid UTF-8 or not.
///
/// The path is checked when the file is written, not here, so a caller can assemble a bundle
/// freely and get every refusal from one place. ``EvidenceWriter/write(name:files:)`` refuses
/// a path that is empty, absolute, has an empty, `.` or `..` component, contains a backslash,
/// NUL or other control character (`sha256sum` would escape it), or is `MANIFEST.sha256`.
///
/// ```swift
/// let files = [
///     EvidenceFile(path: "alert.json", contents: Array(alertJSON.utf8)),
///     EvidenceFile(path: "steps/01-containers.stdout", contents: capturedOutput),
/// ]
/// ```
public struct EvidenceFile: Sendable, Hashable {
    /// Relative, `/`-separated path inside the bundle.
    public var path: String
    /// The file's bytes, written as they are.
    public var contents: [UInt8]

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }

    /// A text file, stored as UTF-8.
    public init(path: String, text: String) {
        self.init(path: path, contents: Array(text.utf8))
    }
}
