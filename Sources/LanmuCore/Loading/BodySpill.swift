import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Rendered article bodies parked in a file without a name between reading and writing, for builds too large to
/// keep them in memory (`BuildOptions.keepBodiesUpTo`). Each body is rendered once, when its file is read; the page
/// is later written from the parked HTML instead of reading and rendering the Markdown a second time (which cost a
/// million-article build a third of its writing time, and re-read files the output had pushed out of the page cache).
///
/// The file has no name (`O_TMPFILE`, or a name removed at once), so a killed build leaves nothing behind, and the
/// kernel frees it when the build ends. Appends come from every reading thread; each reserves its own range.
final class BodySpill: @unchecked Sendable {
    /// Where a body is in the file.
    struct Spot: Sendable, Equatable {
        let offset: Int
        let length: Int
    }

    private let descriptor: Int32
    private let lock = NSLock()
    private var end = 0

    /// A spill file in the first of these folders that takes one; nil if none does (the bodies then stay in memory).
    /// - Parameter temporaryFile: false skips `O_TMPFILE` (for tests of the file systems without it).
    init?(inFirstOf folders: [String], temporaryFile: Bool = true) {
        guard
            let descriptor = folders.lazy.compactMap({ Self.openNameless(in: $0, temporaryFile: temporaryFile) }).first
        else { return nil }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Parks the text; nil if it could not be written (a full disk): the caller keeps it in memory instead.
    func append(_ text: String) -> Spot? {
        var text = text
        return text.withUTF8 { bytes -> Spot? in
            let offset = lock.withLock {
                defer { end += bytes.count }
                return end
            }
            var done = 0
            while done < bytes.count {
                let count = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return nil }
                done += count
            }
            return Spot(offset: offset, length: bytes.count)
        }
    }

    /// The text parked at the spot; nil if the file could not be read back.
    func text(at spot: Spot) -> String? {
        guard spot.length > 0 else { return "" }
        var bytes = [UInt8](repeating: 0, count: spot.length)
        let complete = bytes.withUnsafeMutableBytes { buffer -> Bool in
            var done = 0
            while done < spot.length {
                let count = pread(
                    descriptor, buffer.baseAddress! + done, spot.length - done, off_t(spot.offset + done))
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                done += count
            }
            return true
        }
        guard complete else { return nil }
        // What was parked was a string's UTF-8; reading it back gives the same bytes.
        return bytes.withUnsafeBufferPointer(UTF8Text.string(known:))
    }

    /// A new file in the folder that no other process can open: `O_TMPFILE` where the file system has it, else a
    /// unique name removed right after it is made.
    private static func openNameless(in folder: String, temporaryFile: Bool) -> Int32? {
        // glibc's O_TMPFILE is a macro Swift does not import: __O_TMPFILE (octal 20000000) with O_DIRECTORY.
        if temporaryFile {
            let nameless = open(folder, Int32(0o20_000_000) | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
            if nameless >= 0 { return nameless }
        }
        var template = Array((folder + "/.lanmu-bodies-XXXXXX").utf8CString)
        let named = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard named >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return named
    }
}
