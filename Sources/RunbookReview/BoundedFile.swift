import Foundation

/// Reads a whole input file (a rule file, a Markdown runbook), refusing one over a limit
/// without reading past it: checking the size first races a file that grows, and reading it all
/// first spends the memory the limit is there to save.
enum BoundedFile {
    enum Failure: Error {
        case unreadable(String)
        case tooLarge
    }

    static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable("cannot read the file") }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw .unreadable("cannot read the file: \(error.localizedDescription)")
        }
        guard data.count <= limit else { throw .tooLarge }
        return Array(data)
    }
}
