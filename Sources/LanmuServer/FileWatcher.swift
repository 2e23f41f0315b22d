import Foundation

/// Watches folders for saved, created, moved and deleted files: inotify where the kernel has it, polling
/// otherwise. Events are debounced, so that an editor's save-by-rename is one change.
final class FileWatcher: @unchecked Sendable {
    /// A batch of changes: paths that changed, as given by the kernel, or nil when only polling noticed.
    typealias Batch = [String]

    private let roots: [URL]
    private let quiet: Duration
    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var watches: [Int32: String] = [:]
    /// The folder each watched root was when it was last attached (device and inode), to notice a new one.
    private var attachedRoots: [String: [UInt64]] = [:]
    private var stopped = false
    private let pollingSignature: (@Sendable () -> Int)?

    /// - Parameters:
    ///   - quiet: how long no event must arrive before a batch is delivered.
    ///   - pollingSignature: a fingerprint of the watched files, used when inotify is not available.
    init(roots: [URL], quiet: Duration = .milliseconds(30), pollingSignature: (@Sendable () -> Int)? = nil) {
        self.roots = roots
        self.quiet = quiet
        self.pollingSignature = pollingSignature
    }

    /// Whether changes come from inotify (else from polling).
    private(set) var usesInotify = false

    /// Batches of changes until `stop()`.
    func batches() -> AsyncStream<Batch> {
        let (stream, continuation) = AsyncStream<Batch>.makeStream()
        #if os(Linux)
            let fd = inotify_init1(Int32(IN_CLOEXEC))
            if fd >= 0 {
                descriptor = fd
                usesInotify = true
                _ = reattachRoots()
                let thread = Thread { [self] in self.readLoop(continuation) }
                thread.name = "lanmu-watcher"
                thread.start()
                return stream
            }
        #endif
        let thread = Thread { [self] in self.pollLoop(continuation) }
        thread.name = "lanmu-poller"
        thread.start()
        return stream
    }

    func stop() {
        lock.withLock { stopped = true }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    #if os(Linux)
        private static let mask = UInt32(
            IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_ATTRIB)

        private func addWatches(below path: String) {
            let watch = inotify_add_watch(descriptor, path, Self.mask)
            if watch >= 0 { lock.withLock { watches[watch] = path } }
            // A folder that cannot be listed has nothing more to watch.
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where !name.hasPrefix(".") {
                let child = path + "/" + name
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory), isDirectory.boolValue {
                    addWatches(below: child)
                }
            }
        }

        /// Watches each root that is a folder other than the one watched so far: at the start, and when `git
        /// checkout`, `rsync --delete` or a restore deleted or moved the root and made a new one (the watches of the
        /// old folder end with it, or would follow it elsewhere). Whether any root was attached anew.
        private func reattachRoots() -> Bool {
            var attached = false
            for root in roots {
                let path = root.standardizedFileURL.path
                var status = stat()
                guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else { continue }
                let identity = [UInt64(status.st_dev), UInt64(status.st_ino)]
                if attachedRoots[path] == identity { continue }
                let stale = lock.withLock {
                    watches.filter { $0.value == path || $0.value.hasPrefix(path + "/") }.map(\.key)
                }
                for watch in stale {
                    inotify_rm_watch(descriptor, watch)
                    _ = lock.withLock { watches.removeValue(forKey: watch) }
                }
                addWatches(below: path)
                attachedRoots[path] = identity
                attached = true
            }
            return attached
        }

        private func readLoop(_ continuation: AsyncStream<Batch>.Continuation) {
            defer {
                close(descriptor)
                continuation.finish()
            }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var pending: [String] = []
            let quietMilliseconds = Int32(
                quiet.components.seconds * 1000 + quiet.components.attoseconds / 1_000_000_000_000_000)
            while !isStopped {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, pending.isEmpty ? 200 : quietMilliseconds)
                if ready == 0 {
                    if reattachRoots() {
                        // What the new folder holds was never seen by a watch: every file is looked at.
                        continuation.yield([])
                        pending.removeAll()
                    } else if !pending.isEmpty {
                        continuation.yield(pending)
                        pending.removeAll()
                    }
                    continue
                }
                if ready < 0 { continue }
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { continue }
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let (watch, mask, nameLength): (Int32, UInt32, Int) = buffer.withUnsafeBytes { raw in
                        let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                        return (event.wd, event.mask, Int(event.len))
                    }
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let nameBytes = buffer[nameStart..<(nameStart + nameLength)].prefix { $0 != 0 }
                    let name = String(decoding: nameBytes, as: UTF8.self)
                    offset = nameStart + nameLength
                    let directory = lock.withLock { watches[watch] }
                    guard let directory else { continue }
                    let path = name.isEmpty ? directory : directory + "/" + name
                    if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                        addWatches(below: path)
                    }
                    if mask & UInt32(IN_IGNORED) != 0 { _ = lock.withLock { watches.removeValue(forKey: watch) } }
                    pending.append(path)
                }
            }
        }
    #endif

    private func pollLoop(_ continuation: AsyncStream<Batch>.Continuation) {
        defer { continuation.finish() }
        guard let pollingSignature else { return }
        var last = pollingSignature()
        while !isStopped {
            Thread.sleep(forTimeInterval: 0.5)
            let current = pollingSignature()
            if current != last {
                last = current
                continuation.yield([])
            }
        }
    }
}
