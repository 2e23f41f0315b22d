import Foundation

/// What `stat` says of a file: when any part changes, the file is read again.
struct FileSignature: Hashable, Sendable {
    var modified: Int64
    var modifiedNanoseconds: Int64
    var size: Int64
    var inode: UInt64

    init(_ status: stat) {
        modified = Int64(status.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(status.st_mtim.tv_nsec)
        size = Int64(status.st_size)
        inode = UInt64(status.st_ino)
    }
}

/// Lists and reads the files of a site: Markdown and other files below `content/`, templates and theme assets
/// below `templates/`. Directory listings are sorted so that every run sees the same order.
struct ContentLoader: Sendable {
    /// What a content folder holds.
    struct Listing {
        /// Markdown files (`_index.md` included), relative to the content folder.
        var markdown: [String] = []
        /// Every other file, copied to the output beside the pages.
        var assets: [String] = []
        /// What each file looked like when listed: a changed signature means the file must be read again.
        var signatures: [String: FileSignature] = [:]
        var diagnostics: [Diagnostic] = []
    }

    let display: @Sendable (URL) -> String

    /// Editor lock, backup and system files that are never content.
    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasPrefix("~$") || name.hasSuffix("~") || name.hasSuffix(".swp")
            || name.hasSuffix(".swo") || name.hasSuffix(".tmp") || name == "Thumbs.db" || name == "desktop.ini"
            || (name.hasPrefix("#") && name.hasSuffix("#"))
    }

    /// Walks a folder; symbolic links are followed only when they point at files inside it.
    func list(_ root: URL) -> Listing {
        var listing = Listing()
        let rootPath = root.standardizedFileURL.path
        let resolvedRoot = root.standardizedFileURL.resolvingSymlinksInPath().path
        var pending: [String] = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? rootPath : rootPath + "/" + relative
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            } catch {
                listing.diagnostics.append(fileSystemError(error, at: URL(fileURLWithPath: directory)))
                continue
            }
            var subdirectories: [String] = []
            for name in names where !Self.isIgnored(name) {
                let path = relative.isEmpty ? name : relative + "/" + name
                let absolute = rootPath + "/" + path
                var status = stat()
                guard lstat(absolute, &status) == 0 else { continue }
                var isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
                if (status.st_mode & S_IFMT) == S_IFLNK {
                    let url = URL(fileURLWithPath: absolute)
                    let target = url.resolvingSymlinksInPath().path
                    var targetStatus = stat()
                    let inside = target.hasPrefix(resolvedRoot + "/")
                    guard inside, stat(target, &targetStatus) == 0, (targetStatus.st_mode & S_IFMT) == S_IFREG else {
                        listing.diagnostics.append(
                            Diagnostic(
                                .ignoredFile, at: .init(file: display(url)), "符号链接指向 content/ 之外或指向目录，已忽略",
                                hint: "把文件本身放进 content/，不要用符号链接"))
                        continue
                    }
                    isDirectory = false
                    status = targetStatus
                }
                if isDirectory {
                    subdirectories.append(path)
                    continue
                }
                listing.signatures[path] = FileSignature(status)
                if name.hasSuffix(".md") {
                    listing.markdown.append(path)
                } else {
                    listing.assets.append(path)
                }
            }
            pending += subdirectories.reversed()
        }
        listing.markdown.sort()
        listing.assets.sort()
        return listing
    }

    /// The bytes of a file.
    func read(_ url: URL) -> Result<[UInt8], Diagnostic> {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .failure(fileSystemError(SystemCallError(.init(rawValue: errno) ?? .EIO, path: url.path), at: url))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var status = stat()
        if fstat(descriptor, &status) == 0 { bytes.reserveCapacity(Int(status.st_size)) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(
                    fileSystemError(SystemCallError(.init(rawValue: errno) ?? .EIO, path: url.path), at: url))
            }
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        return .success(bytes)
    }

    func fileSystemError(_ error: Error, at url: URL) -> Diagnostic {
        Diagnostic(.fileSystem, at: .init(file: display(url)), "无法读取：\(error)", hint: "检查文件是否存在、是否有读取权限")
    }
}
