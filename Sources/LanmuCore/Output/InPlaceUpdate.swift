import CLinux
import Foundation

/// Changes the live output file by file, for a build in which few inputs changed: a file whose bytes are the same is
/// not touched at all (inode and modification time stay), a changed one is written beside it and renamed over it.
/// Everything replaced or removed is first hard-linked or moved into an undo folder beside the output, and every
/// file added is noted in it before it is made, so a failure puts the previous output back (`rollback`), and so does
/// the next build when this one was killed (`recoverLeftovers`). Only when everything is written is the undo folder
/// removed. Safe to call from several threads.
final class InPlaceUpdate: @unchecked Sendable {
    let root: String
    let undo: String
    private let journal: Int32

    /// The undo folder's name beside the output: `.public.lanmu-undo-<pid>`.
    static func undoPrefix(of output: URL) -> String { ".\(output.lastPathComponent).lanmu-undo-" }

    init(output: URL) throws {
        root = output.standardizedFileURL.path
        let parent = output.standardizedFileURL.deletingLastPathComponent().path
        undo = parent + "/" + Self.undoPrefix(of: output) + String(getpid())
        try? FileManager.default.removeItem(atPath: undo)
        try FileManager.default.createDirectory(atPath: undo + "/files", withIntermediateDirectories: true)
        journal = open(undo + "/added", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard journal >= 0 else {
            throw SystemCallError(POSIXErrorCode(rawValue: errno) ?? .EIO, path: undo + "/added")
        }
    }

    deinit { close(journal) }

    /// Puts these bytes at the path below the output, unless the file there has them already.
    func put(_ bytes: UnsafeBufferPointer<UInt8>, at path: String) throws -> FileTreeWriter.Change {
        let live = root + "/" + path
        var status = stat()
        let exists = lstat(live, &status) == 0
        if exists, (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) == bytes.count,
            Self.contents(of: live, equal: bytes)
        {
            return .unchanged
        }
        if exists {
            // The previous file stays reachable from the undo folder until the build is done.
            try Self.makeFolders(of: undo + "/files/" + path)
            guard link(live, undo + "/files/" + path) == 0 else { throw failure(live) }
        } else {
            try note(path)
            try Self.makeFolders(of: live)
        }
        let temporary = Self.temporaryName(for: live)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(temporary) }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                let error = failure(temporary)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            offset += written
        }
        close(descriptor)
        guard rename(temporary, live) == 0 else {
            let error = failure(live)
            unlink(temporary)
            throw error
        }
        return exists ? .modified : .added
    }

    func put(_ text: String, at path: String) throws -> FileTreeWriter.Change {
        var text = text
        return try text.withUTF8 { try put($0, at: path) }
    }

    func put(_ bytes: [UInt8], at path: String) throws -> FileTreeWriter.Change {
        try bytes.withUnsafeBufferPointer { try put($0, at: path) }
    }

    /// Moves a file the new output no longer has into the undo folder.
    func remove(_ path: String) throws {
        try Self.makeFolders(of: undo + "/files/" + path)
        guard rename(root + "/" + path, undo + "/files/" + path) == 0 else { throw failure(root + "/" + path) }
    }

    /// The build is done: the undo folder goes, and so do folders that removed files left empty.
    func commit(removed: [String]) {
        for path in removed { Self.removeEmptyFolders(above: path, root: root) }
        try? FileManager.default.removeItem(atPath: undo)
    }

    /// Puts the previous output back: files added are removed, files replaced or removed come back.
    func rollback() {
        Self.restore(undo: undo, root: root)
    }

    /// Undo folders of builds that were killed while updating the output: each is played back, so the output is
    /// the previous build's again.
    static func recoverLeftovers(of output: URL) {
        let parent = output.standardizedFileURL.deletingLastPathComponent().path
        let prefix = undoPrefix(of: output)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) == 0 { continue }
            restore(undo: parent + "/" + name, root: output.standardizedFileURL.path)
        }
    }

    private static func restore(undo: String, root: String) {
        let added = (try? String(contentsOfFile: undo + "/added", encoding: .utf8)) ?? ""
        for path in added.split(separator: "\n") where !path.isEmpty {
            unlink(root + "/" + path)
            unlink(temporaryName(for: root + "/" + path))
            removeEmptyFolders(above: String(path), root: root)
        }
        for path in FileTreeWriter.files(below: undo + "/files") {
            let live = root + "/" + path
            try? makeFolders(of: live)
            unlink(temporaryName(for: live))
            rename(undo + "/files/" + path, live)
        }
        try? FileManager.default.removeItem(atPath: undo)
    }

    private func note(_ path: String) throws {
        let line = Array((path + "\n").utf8)
        let written = line.withUnsafeBufferPointer { Foundation.write(journal, $0.baseAddress!, $0.count) }
        guard written == line.count else { throw failure(undo + "/added") }
    }

    private func failure(_ path: String) -> SystemCallError {
        SystemCallError(POSIXErrorCode(rawValue: errno) ?? .EIO, path: path)
    }

    private static func temporaryName(for live: String) -> String {
        guard let slash = live.lastIndex(of: "/") else { return ".lanmu-new-" + live }
        return String(live[...slash]) + ".lanmu-new-" + live[live.index(after: slash)...]
    }

    private static func contents(of path: String, equal bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var existing = [UInt8](repeating: 0, count: bytes.count)
        var offset = 0
        while offset < bytes.count {
            let count = existing.withUnsafeMutableBytes {
                read(descriptor, $0.baseAddress! + offset, bytes.count - offset)
            }
            if count <= 0 { return false }
            offset += count
        }
        return existing.elementsEqual(bytes)
    }

    /// Makes the folders above a file (absolute path), parents first when missing.
    private static func makeFolders(of path: String) throws {
        guard let slash = path.lastIndex(of: "/"), slash > path.startIndex else { return }
        let folder = String(path[..<slash])
        if mkdir(folder, 0o755) == 0 { return }
        var code = errno
        if code == ENOENT {
            try makeFolders(of: folder)
            if mkdir(folder, 0o755) == 0 { return }
            code = errno
        }
        var status = stat()
        if code == EEXIST, stat(folder, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { return }
        throw SystemCallError(POSIXErrorCode(rawValue: code) ?? .EIO, path: folder)
    }

    /// Removes the folders above a removed file (relative path) that are left empty, up to the root.
    private static func removeEmptyFolders(above path: String, root: String) {
        var folder = path
        while let slash = folder.lastIndex(of: "/") {
            folder = String(folder[..<slash])
            if rmdir(root + "/" + folder) != 0 { return }
        }
    }
}
