import Foundation

/// The digest of every output file's inputs (`SiteRenderer.pageDigest`) and the size it was written with, as the last
/// successful build left them: `.lanmu-cache/pages`. A build that updates the output in place renders a job again
/// only when its digest differs, or the live file is gone or has another size (edited by hand); every other file is
/// left as it is, unread. The paths also tell which files the new output no longer has, without walking the output.
///
/// The file names the output folder it describes and has the state's key (another executable, folders or options:
/// not used) and a checksum over all of it; a
/// damaged file is W009 and every job is rendered and compared. Written after a successful build (a new file renamed
/// over the old one) and removed before the output changes, like the state.
struct PageDigests {
    static let fileName = "pages"
    private static let magic = Array("LANMU-PAGES\n".utf8)
    private static let formatVersion: UInt32 = 1

    struct Entry: Equatable {
        /// The job's digest; 0 for a file rendered every time (no digest).
        var digest: UInt64
        var size: Int64
    }

    var entries: [String: Entry] = [:]

    /// What reading the file gave.
    enum Read {
        case missing
        case unusable(String)
        case digests(PageDigests)
    }

    static func url(in folder: URL) -> URL { folder.appendingPathComponent(fileName) }

    static func read(folder: URL, key: String) -> Read {
        let url = url(in: folder)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return FileManager.default.fileExists(atPath: url.path) ? .unusable("无法读取") : .missing
        }
        let bytes = [UInt8](data)
        return bytes.withUnsafeBytes { raw -> Read in
            guard raw.count >= magic.count + 4 + 16, raw.starts(with: magic) else {
                return .unusable("不是 Lanmu 的缓存文件，或文件不完整")
            }
            var reader = CacheBytesReader(raw)
            reader.offset = raw.count - 16
            guard let length = reader.i64(), length == raw.count, let checksum = reader.u64(),
                RecordCache.checksum(UnsafeRawBufferPointer(rebasing: raw[..<(raw.count - 8)])) == checksum
            else { return .unusable("文件不完整或已损坏") }
            reader = CacheBytesReader(UnsafeRawBufferPointer(rebasing: raw[..<(raw.count - 16)]))
            reader.offset = magic.count
            guard let version = reader.u32(), version == formatVersion else {
                return .unusable("缓存格式属于另一个 Lanmu 版本")
            }
            guard reader.string() != nil, let foundKey = reader.string() else { return .unusable("文件已损坏") }
            // Another key: the state says so already (W009), or it was written by another set of options.
            guard foundKey == key else { return .missing }
            guard let count = reader.count() else { return .unusable("文件已损坏") }
            var digests = PageDigests()
            digests.entries.reserveCapacity(count)
            for _ in 0..<count {
                guard let path = reader.string(), let digest = reader.u64(), let size = reader.i64() else {
                    return .unusable("文件已损坏")
                }
                digests.entries[path] = Entry(digest: digest, size: size)
            }
            guard reader.offset == reader.bytes.count else { return .unusable("文件已损坏") }
            return .digests(digests)
        }
    }

    /// Writes the digests (a new file renamed over the old one).
    func write(folder: URL, output: String, key: String, order: [String]) throws {
        var writer = CacheBytesWriter()
        writer.bytes += Self.magic
        writer.u32(Self.formatVersion)
        writer.string(output)
        writer.string(key)
        writer.i64(Int64(order.count))
        for path in order {
            let entry = entries[path] ?? Entry(digest: 0, size: -1)
            writer.string(path)
            writer.u64(entry.digest)
            writer.i64(entry.size)
        }
        writer.i64(Int64(writer.bytes.count + 16))
        writer.u64(writer.bytes.withUnsafeBytes(RecordCache.checksum))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = Self.url(in: folder)
        let temporary = folder.appendingPathComponent(Self.fileName + ".\(getpid()).tmp")
        try Data(writer.bytes).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw SystemCallError(POSIXErrorCode(rawValue: code) ?? .EIO, path: url.path)
        }
    }

    /// Removes the digests when they describe this output folder (any build into it changes what they describe; a
    /// build into another folder, such as a clean build to compare with, leaves them). A file that cannot be read goes
    /// too.
    static func remove(folder: URL, ifFor output: String) {
        let path = url(in: folder).path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        var head = [UInt8](repeating: 0, count: 8192)
        let count = head.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress!, $0.count) }
        close(descriptor)
        let written: String? = head.withUnsafeBytes { raw in
            guard count > 0, raw.starts(with: magic) else { return nil }
            var reader = CacheBytesReader(UnsafeRawBufferPointer(rebasing: raw[..<count]))
            reader.offset = magic.count + 4
            return reader.string()
        }
        if written == nil || written == output { unlink(path) }
    }
}
