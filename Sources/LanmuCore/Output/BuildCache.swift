import Foundation

/// What a build leaves in the site's `.lanmu-cache/` for the next one: the `stat` of every input file, the output
/// folder's own `stat` and the build's report. When nothing listed differs, the next `lanmu build` stops before it
/// reads a single article (the output is still what these inputs make). The file is checked as a whole (length and
/// checksum); a cache of another Lanmu executable, another site or other options does not match its key. Either way
/// it is ignored and the build is a full one, never a wrong one.
struct BuildCache {
    static let folderName = ".lanmu-cache"
    static let stateName = "state"
    static let lockName = "lock"
    private static let magic = Array("LANMU-BUILD-CACHE\n".utf8)
    private static let formatVersion: UInt32 = 2

    let folder: URL

    init(siteRoot: URL) {
        folder = siteRoot.appendingPathComponent(Self.folderName)
    }

    /// What the last successful build saw and reported.
    struct State: Equatable {
        /// The executable, the folders and the options the build ran with (`key(for:)`).
        var key: String
        var content: [String: FileSignature]
        var templates: [String: FileSignature]
        /// The output folder itself, after the swap: a folder put there since (or removed) differs.
        var output: FileSignature
        /// From when the same inputs may give other output (`Site.sameOutputUntil`).
        var sameOutputUntil: PublishDate?
        var articleCount: Int
        var pageCount: Int
        var fileCount: Int
        var heldBack: [HeldBackArticle]
        var diagnostics: [Diagnostic]
    }

    /// What reading the cache gave.
    enum Read: Equatable {
        case missing
        /// Present but not usable, with the reason in Chinese (for W009).
        case unusable(String)
        case state(State)
    }

    /// Everything a cache must agree on besides the input files: the executable (its size and time: a rebuilt
    /// Lanmu may render differently), the folders and the options.
    static func key(for options: BuildOptions) -> String {
        var executable = stat()
        let exe = stat("/proc/self/exe", &executable) == 0 ? "\(executable.st_size)-\(FileSignature(executable))" : "?"
        return [
            "lanmu \(exe)", options.contentDirectory.path, options.templatesDirectory.path,
            options.outputDirectory.path, "drafts=\(options.includeDrafts)", "future=\(options.includeFuture)",
            "base_url=\(options.baseURL ?? "")",
        ].joined(separator: "\n")
    }

    /// Reads the state; `.unusable` says why a present file cannot be used.
    func read(key: String) -> Read {
        let url = folder.appendingPathComponent(Self.stateName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return FileManager.default.fileExists(atPath: url.path) ? .unusable("无法读取") : .missing
        }
        var problem: String?
        guard let state = data.withUnsafeBytes({ Self.decode($0, problem: &problem) }) else {
            return .unusable(problem ?? "文件已损坏")
        }
        guard state.key == key else {
            return .unusable("它是另一个 Lanmu 程序、另一个站点或另一组选项（--drafts、--future、--base-url）生成的")
        }
        return .state(state)
    }

    /// Writes the state (a new file renamed over the old one, so a reader never sees half of it).
    func write(_ state: State) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(Self.stateName)
        let temporary = folder.appendingPathComponent(Self.stateName + ".\(getpid()).tmp")
        try Data(Self.encode(state)).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw SystemCallError(POSIXErrorCode(rawValue: code) ?? .EIO, path: url.path)
        }
    }

    /// The signatures as the cache may keep them: a file modified within two seconds before the listing could be
    /// written again within the same tick of the file system's clock, with the same size, and look unchanged; such
    /// a file is kept with a signature no file has, so the next build reads it again (git's "racily clean" files).
    static func settled(_ signatures: [String: FileSignature], listedAt: Date) -> [String: FileSignature] {
        let limit = Int64(listedAt.timeIntervalSince1970.rounded(.down)) - 2
        return signatures.mapValues { signature in
            guard signature.modified >= limit else { return signature }
            var unsettled = signature
            unsettled.size = -1
            return unsettled
        }
    }

    /// Removes the state before the output changes: a build stopped between the two leaves no cache that would
    /// describe the old output.
    func invalidate() {
        unlink(folder.appendingPathComponent(Self.stateName).path)
    }

    // MARK: The file

    static func encode(_ state: State) -> [UInt8] {
        var writer = CacheBytesWriter()
        writer.bytes.reserveCapacity(state.content.count * 80 + 4096)
        writer.bytes += magic
        writer.u32(formatVersion)
        writer.string(state.key)
        // In the dictionaries' order: the file is read back into dictionaries.
        for signatures in [state.content, state.templates] {
            writer.i64(Int64(signatures.count))
            for (path, signature) in signatures {
                writer.string(path)
                writer.signature(signature)
            }
        }
        writer.signature(state.output)
        writer.i64(state.sameOutputUntil?.secondsSince1970 ?? Int64.min)
        writer.i64(Int64(state.articleCount))
        writer.i64(Int64(state.pageCount))
        writer.i64(Int64(state.fileCount))
        writer.i64(Int64(state.heldBack.count))
        for article in state.heldBack {
            writer.string(article.file)
            switch article.reason {
            case .draft: writer.string("")
            case .future(let date): writer.string(date.isEmpty ? " " : date)
            }
        }
        writer.i64(Int64(state.diagnostics.count))
        for diagnostic in state.diagnostics {
            writer.string(diagnostic.code.rawValue)
            writer.string(diagnostic.location.file)
            writer.i64(Int64(diagnostic.location.line))
            writer.i64(Int64(diagnostic.location.column))
            writer.string(diagnostic.message)
            writer.string(diagnostic.hint)
        }
        // The length of what came before and its checksum: a truncated or altered file shows.
        let checksum = writer.bytes.withUnsafeBytes(RecordCache.checksum)
        writer.i64(Int64(writer.bytes.count))
        writer.u64(checksum)
        return writer.bytes
    }

    /// Decodes field by field; any short read or bad value makes the whole state nil, with the reason in `problem`.
    static func decode(_ bytes: UnsafeRawBufferPointer, problem: inout String?) -> State? {
        guard bytes.count >= magic.count + 20, bytes.starts(with: magic) else {
            problem = "不是 Lanmu 的缓存文件，或文件不完整"
            return nil
        }
        // The trailer first: the length and checksum of everything before it.
        let body = bytes.count - 16
        var reader = CacheBytesReader(bytes)
        reader.offset = body
        guard let length = reader.i64(), let checksum = reader.u64(), length == body,
            RecordCache.checksum(UnsafeRawBufferPointer(rebasing: bytes[..<body])) == checksum
        else {
            problem = "文件不完整或已损坏"
            return nil
        }
        reader = CacheBytesReader(UnsafeRawBufferPointer(rebasing: bytes[..<body]))
        reader.offset = magic.count
        guard let version = reader.u32(), version == formatVersion else {
            problem = "缓存格式属于另一个 Lanmu 版本"
            return nil
        }
        problem = "文件已损坏"
        func signatures() -> [String: FileSignature]? {
            guard let count = reader.count() else { return nil }
            var signatures: [String: FileSignature] = [:]
            signatures.reserveCapacity(count)
            for _ in 0..<count {
                guard let path = reader.string(), let signature = reader.signature() else { return nil }
                signatures[path] = signature
            }
            return signatures
        }
        guard let key = reader.string(), let content = signatures(), let templates = signatures(),
            let output = reader.signature(), let future = reader.i64(), let articleCount = reader.count(),
            let pageCount = reader.count(), let fileCount = reader.count(), let heldBackCount = reader.count()
        else { return nil }
        var heldBack: [HeldBackArticle] = []
        for _ in 0..<heldBackCount {
            guard let file = reader.string(), let date = reader.string() else { return nil }
            heldBack.append(HeldBackArticle(file: file, reason: date.isEmpty ? .draft : .future(date: date)))
        }
        guard let diagnosticCount = reader.count() else { return nil }
        var diagnostics: [Diagnostic] = []
        for _ in 0..<diagnosticCount {
            guard let raw = reader.string(), let code = DiagnosticCode(rawValue: raw), let file = reader.string(),
                let line = reader.i64(), let column = reader.i64(), let message = reader.string(),
                let hint = reader.string()
            else { return nil }
            diagnostics.append(
                Diagnostic(code, at: .init(file: file, line: Int(line), column: Int(column)), message, hint: hint))
        }
        guard reader.offset == body else { return nil }
        problem = nil
        return State(
            key: key, content: content, templates: templates, output: output,
            sameOutputUntil: future == Int64.min ? nil : PublishDate(secondsSince1970: future),
            articleCount: articleCount, pageCount: pageCount, fileCount: fileCount, heldBack: heldBack,
            diagnostics: diagnostics)
    }
}

/// One build at a time per site: an exclusive `flock` on `.lanmu-cache/lock`, held until the build is done (the
/// kernel lets go of it when the process ends, however it ends).
final class BuildLock {
    private let descriptor: Int32

    /// Takes the lock, waiting for a build that holds it (told through `waiting` first); nil when the lock file
    /// cannot be made (a read-only site: the build goes on without cache or lock).
    init?(folder: URL, waiting: (() -> Void)? = nil) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let descriptor = open(
            folder.appendingPathComponent(BuildCache.lockName).path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            waiting?()
            while flock(descriptor, LOCK_EX) != 0, errno == EINTR {}
        }
        self.descriptor = descriptor
    }

    /// Whether another holder has the lock right now (for tests).
    static func isHeld(in folder: URL) -> Bool {
        let descriptor = open(folder.appendingPathComponent(BuildCache.lockName).path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }

    deinit { close(descriptor) }
}

extension FileSignature {
    init(modified: Int64, modifiedNanoseconds: Int64, size: Int64, inode: UInt64) {
        var status = stat()
        status.st_mtim.tv_sec = Int(modified)
        status.st_mtim.tv_nsec = Int(modifiedNanoseconds)
        status.st_size = Int(size)
        status.st_ino = UInt(inode)
        self.init(status)
    }
}
