import Foundation
import HTTPTypes
import RunbookEngine
import ZIPFoundation

/// A run's evidence bundle as one zip file for the console: checked first against the digest
/// the run's record kept (the same check as `rbx evidence verify`), so what a person downloads
/// is what the run wrote, or they are told it is not.
enum EvidenceDownload {
    /// Bundles hold a run's records and captured output; anything past this is not a bundle
    /// rbx wrote and is not served.
    static let maximumBytes = 256 * 1024 * 1024

    struct Archive {
        var name: String
        var data: Data
    }

    /// The bundle at `path` as a zip of MANIFEST.sha256, its signature if any, and every file
    /// the manifest lists, under a folder named after the bundle.
    static func archive(path: String, manifestDigest: String?) throws(ConsoleError) -> Archive {
        let report: EvidenceReport
        do {
            report = try EvidenceVerifier.verify(directory: path, expectedManifestDigest: manifestDigest)
        } catch {
            throw ConsoleError.notFound("the evidence bundle cannot be read: \(error.message)")
        }
        guard report.isValid else {
            throw ConsoleError(
                status: .conflict, heading: "The evidence does not match its record",
                message: "the bundle on disk differs from what the run recorded: "
                    + report.problems.prefix(5).map(\.description).joined(separator: "; "))
        }
        let bundle = URL(fileURLWithPath: path)
        let name = bundle.lastPathComponent
        guard let manifest = FileManager.default.contents(atPath: path + "/MANIFEST.sha256") else {
            throw ConsoleError.notFound("the evidence bundle has no manifest")
        }
        // Verified above: every line is `HEX  PATH` for a regular file inside the bundle.
        var files = ["MANIFEST.sha256"]
        if FileManager.default.fileExists(atPath: path + "/MANIFEST.sha256.sig") { files.append("MANIFEST.sha256.sig") }
        for line in String(decoding: manifest, as: UTF8.self).split(separator: "\n") {
            guard let separator = line.range(of: "  ") else { continue }
            files.append(String(line[separator.upperBound...]))
        }
        do {
            let zip = try ZIPFoundation.Archive(accessMode: .create)
            var total = 0
            for file in files {
                let data = try Data(contentsOf: bundle.appendingPathComponent(file))
                total += data.count
                guard total <= maximumBytes else {
                    throw ConsoleError.notFound("the evidence bundle is larger than \(maximumBytes >> 20) MiB")
                }
                try zip.addEntry(
                    with: name + "/" + file, type: .file, uncompressedSize: Int64(data.count),
                    compressionMethod: .deflate,
                    provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
            }
            guard let data = zip.data else { throw ConsoleError.notFound("the zip could not be made") }
            return Archive(name: name, data: data)
        } catch let error as ConsoleError {
            throw error
        } catch {
            throw ConsoleError(
                status: .internalServerError, heading: "Unavailable",
                message: "the evidence bundle could not be packed: \(error.localizedDescription)")
        }
    }
}
