import Crypto

/// SHA-256 as evidence uses it: lowercase hexadecimal, of byte arrays and of open files.
///
/// Files are hashed in fixed-size chunks so verifying a bundle holding a 1 GiB log costs
/// 64 KiB of memory, not 1 GiB.
enum EvidenceDigest {
    /// Bytes read per `read(2)` when hashing a file.
    static let chunkSize = 64 * 1024

    /// SHA-256 of `bytes` as 64 lowercase hexadecimal digits.
    static func hex(of bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// SHA-256 of everything readable from `fd`, streamed.
    static func hex(ofFile fd: Int32, displayPath: String) throws(EvidenceError) -> String {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        while true {
            let count = try EvidenceSystemCalls.read(fd, into: buffer, path: displayPath)
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        return hex(hasher.finalize())
    }

    /// Whether `text` is 64 hexadecimal digits (either case).
    static func isHexDigest(_ text: some Collection<UInt8>) -> Bool {
        text.count == 64 && text.allSatisfy { hexValue($0) != nil }
    }

    /// Whether `text` is 64 *lowercase* hexadecimal digits, as `sha256sum` and rbx write them.
    static func isCanonicalHexDigest(_ text: some Collection<UInt8>) -> Bool {
        text.count == 64
            && text.allSatisfy {
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
