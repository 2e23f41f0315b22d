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

    /// The `stat` of a path (symbolic links not followed); nil when there is nothing there.
    init?(path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        self.init(status)
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

    /// Editor lock, backup, scratch and system files that are never content.
    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasPrefix("~$") || name.hasSuffix("~") || name.hasSuffix(".swp")
            || name.hasSuffix(".swo") || name.hasSuffix(".tmp") || name == "Thumbs.db" || name == "desktop.ini"
            || (name.hasPrefix("#") && name.hasSuffix("#"))
            // vim's test that it may write in the folder; GNU `sed -i`'s copy before it takes the file's name.
            || name == "4913" || isSedScratch(name)
    }

    /// `sed` and six letters or digits (GNU sed's `mkostemp` template `sedXXXXXX`).
    private static func isSedScratch(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return bytes.count == 9 && name.hasPrefix("sed")
            && bytes.dropFirst(3).allSatisfy {
                (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0)
            }
    }

    /// Walks a folder; symbolic links are followed only when they point at files inside it.
    func list(_ root: URL) -> Listing {
        let rootPath = root.standardizedFileURL.path
        let resolvedRoot = root.standardizedFileURL.resolvingSymlinksInPath().path
        // The top folder, then the trees of its folders in parallel: a `stat` per file is most of the time.
        var listing = Listing()
        var rootStatus = stat()
        let owner = stat(resolvedRoot, &rootStatus) == 0 ? rootStatus.st_uid : getuid()
        let folders = walk(
            from: "", rootPath: rootPath, resolvedRoot: resolvedRoot, owner: owner, descending: false, into: &listing)
        let trees = Parallel.map(folders) { folder in
            var tree = Listing()
            _ = walk(
                from: folder, rootPath: rootPath, resolvedRoot: resolvedRoot, owner: owner, descending: true,
                into: &tree)
            return tree
        }
        listing.signatures.reserveCapacity(trees.reduce(listing.signatures.count) { $0 + $1.signatures.count })
        for tree in trees {
            listing.markdown += tree.markdown
            listing.assets += tree.assets
            listing.signatures.merge(tree.signatures) { first, _ in first }
            listing.diagnostics += tree.diagnostics
        }
        listing.markdown.sort()
        listing.assets.sort()
        return listing
    }

    /// Lists `start` and, when descending, every folder below it, depth first in name order; the folders found
    /// and not descended into.
    private func walk(
        from start: String, rootPath: String, resolvedRoot: String, owner: uid_t, descending: Bool,
        into listing: inout Listing
    ) -> [String] {
        var pending = [start]
        var notDescended: [String] = []
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? rootPath : rootPath + "/" + relative
            // readdir and fstatat beside it: no path is walked again from the root for each file.
            guard let stream = opendir(directory) else {
                var reason: Error = SystemCallError(.init(rawValue: errno) ?? .EIO, path: directory)
                // Foundation's wording of the reason, as editors have seen it so far.
                do { _ = try FileManager.default.contentsOfDirectory(atPath: directory) } catch { reason = error }
                listing.diagnostics.append(fileSystemError(reason, at: URL(fileURLWithPath: directory)))
                continue
            }
            defer { closedir(stream) }
            let descriptor = dirfd(stream)
            var names: [String] = []
            while let entry = readdir(stream) {
                // A name that is not UTF-8 (a zip made on Windows has GBK names) would come out repaired, name no
                // file, and the file would be dropped without a word: it is reported with its bytes escaped.
                let name: String? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    let bytes = UnsafeBufferPointer(
                        start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        count: raw.firstIndex(of: 0) ?? raw.count)
                    let name = UTF8Text.isWellFormed(bytes) ? UTF8Text.string(known: bytes) : nil
                    guard let name, !Self.isGBKPassingAsUTF8(name, bytes) else {
                        let file = display(URL(fileURLWithPath: directory)) + "/" + Self.escapedName(Array(bytes))
                        listing.diagnostics.append(Self.nameNotUTF8(Array(bytes), at: file))
                        return nil
                    }
                    return name
                }
                // `.` and `..` are dropped with the other dot names by `isIgnored`.
                if let name { names.append(name) }
            }
            names.sort()
            var subdirectories: [String] = []
            for name in names where !Self.isIgnored(name) {
                let path = relative.isEmpty ? name : relative + "/" + name
                if let hidden = name.unicodeScalars.first(where: Diagnostic.isInvisible) {
                    // `abc\u{202E}gpj.exe` shows as `abcexe.jpg`: such a name is never published.
                    listing.diagnostics.append(
                        Diagnostic(
                            .invalidSlug, at: .init(file: display(URL(fileURLWithPath: rootPath + "/" + path))),
                            "文件名含有看不见的控制字符 \(Diagnostic.escaped(hidden))（\(Diagnostic.invisibleName(hidden))），"
                                + "它会让文件名和网址显示得和实际不同；这个文件没有读取",
                            hint: "给文件重新起名（重新输入名字，不要从别处复制），再重新生成"))
                    continue
                }
                var status = stat()
                guard fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                var isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
                if (status.st_mode & S_IFMT) == S_IFLNK {
                    let url = URL(fileURLWithPath: rootPath + "/" + path)
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
                // A FIFO blocks the read forever, a device reads without end: only regular files are content.
                guard (status.st_mode & S_IFMT) == S_IFREG else {
                    listing.diagnostics.append(
                        Self.notARegularFile(status.st_mode, at: display(URL(fileURLWithPath: rootPath + "/" + path))))
                    continue
                }
                // A hard link can bring in a file from anywhere on the disk (`ln /etc/shadow content/a.txt`), and
                // where its other names are cannot be known: one whose file belongs to someone else or is not for
                // others to read is no file of the site's.
                if status.st_nlink > 1, status.st_uid != owner || status.st_mode & 0o004 == 0 {
                    listing.diagnostics.append(
                        Diagnostic(
                            .ignoredFile, at: .init(file: display(URL(fileURLWithPath: rootPath + "/" + path))),
                            "这是一个硬链接，它的文件属于别的用户或不允许别人读取（可能是 content/ 之外的私密文件），已忽略",
                            hint: "要发布的文件请复制进 content/，不要用硬链接"))
                    continue
                }
                listing.signatures[path] = FileSignature(status)
                if name.hasSuffix(".md") {
                    listing.markdown.append(path)
                } else {
                    listing.assets.append(path)
                }
            }
            if descending {
                pending += subdirectories.reversed()
            } else {
                notDescended += subdirectories
            }
        }
        return notDescended
    }

    /// The most a Markdown file, template or settings file may hold: far above any article (the largest the bench
    /// corpus and real sites have are under 1 MB), low enough that a huge file, or one that never ends, stops with
    /// an error instead of taking the machine's memory. The README says the figure.
    static let maximumTextBytes = 32 << 20

    /// The bytes of a file, at most `limit` of them (else an error).
    func read(_ url: URL, limit: Int = maximumTextBytes) -> Result<[UInt8], Diagnostic> {
        read(path: url.path, url: url, limit: limit)
    }

    /// Reads a file whose path is already a string (`url` is only for the diagnostic): straight into an array of
    /// the size `fstat` gives, then on in chunks if the file grew meanwhile; a file over `limit` bytes is an error.
    func read(path: String, url: @autoclosure () -> URL, limit: Int = maximumTextBytes) -> Result<[UInt8], Diagnostic> {
        // Opened without waiting (a FIFO put in a file's place since it was listed would block here) and read only
        // when `fstat` says it is a regular file.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            return .failure(fileSystemError(SystemCallError(.init(rawValue: errno) ?? .EIO, path: path), at: url()))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return .failure(fileSystemError(SystemCallError(.init(rawValue: errno) ?? .EIO, path: path), at: url()))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            return .failure(
                Diagnostic(
                    .fileSystem, at: .init(file: display(url())),
                    "这是一个\(Self.kind(of: status.st_mode))，不是普通文件，无法读取",
                    hint: "content/ 和 templates/ 里只放普通文件；把它移走后重新运行"))
        }
        let size = max(Int(status.st_size), 0)
        func tooLarge() -> Result<[UInt8], Diagnostic> {
            .failure(
                Diagnostic(
                    .fileSystem, at: .init(file: display(url())),
                    "文件太大：超过 \(limit >> 20) MB（Markdown 文件、模板和设置文件最大 \(limit >> 20) MB），没有读取",
                    hint: "图片、视频和大附件放成 content/ 里单独的文件，在文章里用链接引用；误放进来的大文件请移走"))
        }
        if size > limit { return tooLarge() }
        var failure: Int32 = 0
        // One byte more than the size: a full buffer means the file may have grown.
        let capacity = size + 1
        var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            initialized = Self.readFully(descriptor, into: buffer.baseAddress!, count: capacity, failure: &failure)
        }
        var more = bytes.count == capacity
        while failure == 0, more {
            let chunk = [UInt8](unsafeUninitializedCapacity: 65536) { buffer, initialized in
                initialized = Self.readFully(descriptor, into: buffer.baseAddress!, count: 65536, failure: &failure)
            }
            bytes += chunk
            more = chunk.count == 65536
            // A file that keeps growing while it is read.
            if bytes.count > limit { return tooLarge() }
        }
        guard failure == 0 else {
            return .failure(
                fileSystemError(SystemCallError(.init(rawValue: failure) ?? .EIO, path: path), at: url()))
        }
        return .success(bytes)
    }

    /// Reads until `count` bytes, the end of the file or an error (in `failure`); the number of bytes read.
    private static func readFully(
        _ descriptor: Int32, into base: UnsafeMutablePointer<UInt8>, count: Int, failure: inout Int32
    ) -> Int {
        var total = 0
        while total < count {
            let read = Foundation.read(descriptor, base + total, count - total)
            if read < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            if read == 0 { break }
            total += read
        }
        return total
    }

    /// A warning for something in `content/` that is neither a folder nor a regular file, naming what it is.
    static func notARegularFile(_ mode: mode_t, at file: String) -> Diagnostic {
        Diagnostic(
            .ignoredFile, at: .init(file: file), "这是一个\(kind(of: mode))，不是普通文件，已忽略",
            hint: "content/ 里只放文章、图片和附件这样的普通文件；把它移出 content/")
    }

    /// A file or folder name that is not UTF-8: its own error (the file would otherwise be missing from the site
    /// without a word), naming GBK when the bytes look like it.
    static func nameNotUTF8(_ bytes: [UInt8], at file: String) -> Diagnostic {
        if TextDecoding.looksLikeGBK(bytes[...]) {
            return Diagnostic(
                .fileNameNotUTF8, at: .init(file: file),
                "文件名不是 UTF-8 编码：看起来是 GBK（GB2312/GB18030）编码，常见于 Windows 上打包的 zip；这个文件没有读取",
                hint: "解压时指定编码（unzip -O GBK 文件.zip），或用 convmv -f GBK -t UTF-8 -r --notest content/ 把文件名改成 UTF-8，再重新生成")
        }
        return Diagnostic(
            .fileNameNotUTF8, at: .init(file: file), "文件名不是 UTF-8 编码：含有不是 UTF-8 的字节；这个文件没有读取",
            hint: "在文件管理器里给它重新起名（用中文、字母或数字），再重新生成")
    }

    /// A GBK name whose bytes happen to be UTF-8 (通知 in GBK is U+0368 U+05AA, two combining marks): a name that
    /// starts with a combining mark is no one's real name, and these bytes read as GBK.
    static func isGBKPassingAsUTF8(_ name: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch name.unicodeScalars.first?.properties.generalCategory {
        case .nonspacingMark?, .spacingMark?, .enclosingMark?: TextDecoding.looksLikeGBK(Array(bytes)[...])
        default: false
        }
    }

    /// A name's bytes for printing: ASCII as it is, every other byte as `\xC4`.
    static func escapedName(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            if byte < 0x80 {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return text
    }

    /// What a file that is not a regular file or a folder is, in words.
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "命名管道（FIFO）"
        case S_IFCHR: "字符设备"
        case S_IFBLK: "块设备"
        case S_IFSOCK: "套接字"
        default: "特殊文件"
        }
    }

    func fileSystemError(_ error: Error, at url: URL) -> Diagnostic {
        let problem = FileSystemProblem(error, .reading, shown: url.path)
        return Diagnostic(.fileSystem, at: .init(file: display(url)), "无法读取：\(problem.message)", hint: problem.hint)
    }
}

/// The files a site's folders may hold that are not the site's (`ContentLoader.isIgnored`), for the preview's watcher.
public enum IgnoredFiles {
    /// Whether a path a file watcher reported lies below one of `roots` and names an ignored file or lies in an
    /// ignored folder: the preview neither rebuilds for it nor lists it as a change.
    public static func contains(_ path: String, below roots: [String]) -> Bool {
        for root in roots {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            guard path.hasPrefix(prefix) else { continue }
            return path.dropFirst(prefix.count).split(separator: "/").contains { ContentLoader.isIgnored(String($0)) }
        }
        return false
    }
}
