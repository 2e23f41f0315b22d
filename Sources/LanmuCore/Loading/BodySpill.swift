import CLinux
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Rendered article bodies parked in a file without a name between reading and writing, for builds too large to
/// keep them in memory (`BuildOptions.keepBodiesUpTo`). Each body is rendered once, when its file is read; the page
/// is later written from the parked HTML instead of reading and rendering the Markdown a second time (which cost a
/// large build much of its writing time, and re-read files the output had pushed out of the page cache).
///
/// The file has no name (`O_TMPFILE`, or a name removed at once), so a killed build leaves nothing behind, and the
/// kernel frees it when the build ends. Appends come from every reading thread; each reserves its own range.
///
/// A body whose page is written is released, and the file's storage gives back the pages no unwritten body shares
/// (`release`): on tmpfs the spill is memory that cannot be reclaimed while the pages are written beside it (figures in
/// docs/performance.md). Released pages go back in runs of up to a megabyte, so pages should be
/// written about in the order their bodies were parked (`SiteWriter.writingOrder`); in any other order they still go
/// back, a few pages per call.
final class BodySpill: @unchecked Sendable {
    /// Where a body is in the file.
    struct Spot: Sendable, Equatable {
        let offset: Int
        let length: Int
    }

    private let descriptor: Int32
    private let lock = NSLock()
    private var end = 0
    /// How many unreleased bodies have bytes in each page of the file.
    private var users: [UInt16] = []
    /// Runs of pages no body uses any more that have not gone back to the file system yet.
    private var pending: [Range<Int>] = []
    /// How many released pages gather before they go back in one call.
    private let releaseBatch: Int
    static let pageSize = 4096

    /// A spill file in the first of these folders that takes one; nil if none does (the bodies then stay in memory).
    /// - Parameter temporaryFile: false skips `O_TMPFILE` (for tests of the file systems without it).
    /// - Parameter releaseBatch: how many released pages (4 KB) gather before they go back (1 MB by default).
    init?(inFirstOf folders: [String], temporaryFile: Bool = true, releaseBatch: Int = 256) {
        guard
            let descriptor = folders.lazy.compactMap({ Self.openNameless(in: $0, temporaryFile: temporaryFile) }).first
        else { return nil }
        self.descriptor = descriptor
        self.releaseBatch = max(1, releaseBatch)
    }

    deinit { close(descriptor) }

    /// Parks the text; nil if it could not be written (a full disk): the caller keeps it in memory instead.
    func append(_ text: String) -> Spot? {
        var text = text
        return text.withUTF8 { bytes -> Spot? in
            let offset = lock.withLock {
                let offset = end
                end += bytes.count
                use(from: offset, to: end)
                return offset
            }
            guard PositionalIO.write(UnsafeRawBufferPointer(bytes), to: descriptor, at: offset) else {
                release(Spot(offset: offset, length: bytes.count))  // kept in memory: nothing will release it
                return nil
            }
            return Spot(offset: offset, length: bytes.count)
        }
    }

    /// The text parked at the spot; nil if the file could not be read back.
    func text(at spot: Spot) -> String? {
        guard spot.length > 0 else { return "" }
        var bytes = [UInt8](repeating: 0, count: spot.length)
        let complete = bytes.withUnsafeMutableBytes { PositionalIO.read($0, from: descriptor, at: spot.offset) }
        guard complete else { return nil }
        // What was parked was a string's UTF-8; reading it back gives the same bytes.
        return bytes.withUnsafeBufferPointer(UTF8Text.string(known:))
    }

    /// Marks the body at the spot as no longer needed (its page is written); it must not be read again. The pages
    /// of the file that no unreleased body uses go back to the file system, gathered into runs.
    func release(_ spot: Spot) {
        guard spot.length > 0 else { return }
        let due: [Range<Int>] = lock.withLock {
            // Only whole pages behind the last append: the page it ends in may still take the next body.
            let full = end / Self.pageSize
            var due: [Range<Int>] = []
            for page in Self.pages(from: spot.offset, to: spot.offset + spot.length) {
                precondition(users[page] > 0, "a parked body was released twice")
                users[page] -= 1
                if users[page] == 0, page < full { gather(page, into: &due) }
            }
            return due
        }
        for run in due {
            // A file system that cannot punch holes keeps the pages (only memory or disk is spent, and the file goes
            // when the build ends).
            _ = fallocate(
                descriptor, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off_t(run.lowerBound * Self.pageSize),
                off_t(run.count * Self.pageSize))
        }
    }

    /// Adds a page no body uses to the runs waiting to go back, joining the runs it touches; a run long enough, or
    /// the oldest when too many wait, is due (under the lock). A few runs grow at once, about one per writing thread.
    private func gather(_ page: Int, into due: inout [Range<Int>]) {
        var run = page..<page + 1
        pending.removeAll { other in
            guard other.upperBound == run.lowerBound || other.lowerBound == run.upperBound else { return false }
            run = min(run.lowerBound, other.lowerBound)..<max(run.upperBound, other.upperBound)
            return true
        }
        if run.count >= releaseBatch {
            due.append(run)
        } else {
            pending.append(run)
            if pending.count > 16 { due.append(pending.removeFirst()) }
        }
    }

    /// How much of the file's storage is in use (for tests).
    var allocatedBytes: Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return -1 }
        return Int(status.st_blocks) * 512
    }

    private static func pages(from start: Int, to end: Int) -> ClosedRange<Int> {
        (start / pageSize)...((end - 1) / pageSize)
    }

    /// Counts a new body in the pages it takes (under the lock).
    private func use(from start: Int, to end: Int) {
        guard end > start else { return }
        let pages = Self.pages(from: start, to: end)
        if users.count <= pages.upperBound {
            users.append(contentsOf: repeatElement(0, count: pages.upperBound + 1 - users.count))
        }
        for page in pages { users[page] += 1 }
    }

    /// A new file in the folder that no other process can open: `O_TMPFILE` where the file system has it, else a
    /// unique name removed right after it is made.
    private static func openNameless(in folder: String, temporaryFile: Bool) -> Int32? {
        if temporaryFile {
            let nameless = open(folder, O_TMPFILE | O_RDWR | O_CLOEXEC, 0o600)
            if nameless >= 0 { return nameless }
        }
        var template = Array((folder + "/.lanmu-bodies-XXXXXX").utf8CString)
        let named = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard named >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return named
    }
}
