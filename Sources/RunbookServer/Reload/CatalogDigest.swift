import Crypto
import Foundation

/// A SHA-256 of a catalog's files, so replicas can show which catalog each serves and a rollout
/// that reached some of them is visible. Two directories with the same files (same relative
/// paths and bytes) have the same digest, wherever they are.
enum CatalogDigest {
    /// The places a catalog is read from (CatalogLoader's layout).
    static let parts = ["rbx.yaml", "runbooks", "playbooks", "templates"]

    /// Hex SHA-256 over every regular file of the catalog, in path order: the path, a NUL, the
    /// size, a NUL, the bytes. Unreadable files count as empty (the loader reports them).
    static func of(directory: String) -> String {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        var files: [String] = []
        for part in parts {
            let url = root.appendingPathComponent(part)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            guard isDirectory.boolValue else {
                files.append(part)
                continue
            }
            let found = FileManager.default.enumerator(atPath: url.path)?.compactMap { $0 as? String } ?? []
            for path in found {
                var nested: ObjCBool = false
                let full = url.appendingPathComponent(path).path
                if FileManager.default.fileExists(atPath: full, isDirectory: &nested), !nested.boolValue {
                    files.append(part + "/" + path)
                }
            }
        }
        var hash = SHA256()
        for path in files.sorted() {
            let bytes = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) ?? Data()
            hash.update(data: Data(path.utf8) + Data([0]) + Data(String(bytes.count).utf8) + Data([0]))
            hash.update(data: bytes)
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
