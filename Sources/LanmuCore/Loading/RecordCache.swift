import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Parsed articles kept between `lanmu build` runs in `.lanmu-cache/`: for each article file, by its content path and
/// `stat` signature, what `DocumentParser` made of it — front matter, rendered body and its findings (links, heading
/// ids, statistics, the search text) and the file's diagnostics. A build takes an unchanged file's record instead of
/// reading and parsing the file; only changed files are read.
///
/// Two files. `records` holds the records, each its metadata followed by its rendered body; it only grows: a build
/// appends the records of the files it parsed and leaves the others where they are. `records-index` says, for each
/// article, where its record is, with the checksums of its two parts; each build writes a new index and renames it
/// over the old one, which is the moment the build's records count. Bytes of `records` no index entry points at
/// (records of files changed or gone since) are garbage; when they outweigh the live records, the build copies the
/// live ones into a new file (compaction).
///
/// A build takes an article's metadata from the mapped file and leaves its body there: the body is read, by offset,
/// only when the article's page is rendered (`body(_:)`); a fresh record's body is read back the same way, so a
/// build that keeps records needs no body spill.
///
/// A record is only as good as what it was made with, so the index has a key: the executable, folders and options
/// (`BuildCache.key`) and a digest of the bytes of `content/_index.md` (the settings the parser reads with). Another
/// key: the records are not used (silently: the settings changed, or the state's own W009 already says why). The
/// index carries a checksum and the length of `records` it describes, and `records` a generation number the index
/// names; each record's metadata is checked when it is taken, its body when it is read. A truncated or altered file
/// is reported (W009) and the files it would have given are read again (a body that fails its check is made again
/// from its file: `BodyStore`). Records of files modified within two seconds of the listing are not kept
/// (`BuildCache.settled`).
///
/// Only one build at a time opens the records (`BuildLock`). Bytes appended by a build that failed or was stopped
/// are cut off again (by `discard`, or by the next build: the index says where `records` ends).
final class RecordCache: @unchecked Sendable {
    static let fileName = "records"
    static let indexName = "records-index"
    private static let magic = Array("LANMU-RECORDS\n".utf8)
    private static let indexMagic = Array("LANMU-RECORDS-INDEX\n".utf8)
    private static let formatVersion: UInt32 = 2
    /// The data file's header: magic, version, generation.
    private static let headerLength = magic.count + 4 + 8

    let folder: URL
    let key: String
    /// Why the old files, or part of them, could not be used (for W009); nil when they were fine or absent.
    private(set) var problem: String?

    /// The records file in use: the live one (appending to it) or a new one beside it (`fresh`).
    private var descriptor: Int32 = -1
    /// A new file, renamed over the live one on commit (when there was none that could be used).
    private var fresh: URL?
    private var generation: UInt64 = 0
    /// The part of the live file the old index describes, mapped.
    private var mapped: UnsafeRawBufferPointer?
    /// Where the live file ended before this build.
    private var committed = 0
    private var index: [String: Entry] = [:]
    private let settledLimit: Int64
    /// Compaction when garbage exceeds this share of the file (a half: the live records are copied when they are
    /// less than half of it).
    private let garbageShare: Double

    private let lock = NSLock()
    private var end = 0
    private var written: [(path: String, entry: Entry)] = []
    private var failedWriting = false
    /// Where the bodies that failed their check are: their records are let go on commit.
    private var badBodies: Set<Int> = []

    struct Entry {
        var signature: FileSignature
        var offset: Int
        /// The metadata, then the body.
        var metadataLength: Int
        var bodyLength: Int
        var metadataChecksum: UInt64
        var bodyChecksum: UInt64

        var length: Int { metadataLength + bodyLength }
        var body: Body {
            Body(offset: offset + metadataLength, length: bodyLength, checksum: bodyChecksum)
        }
    }

    /// Where an article's rendered body is in the records file, and its checksum.
    struct Body: Sendable, Equatable {
        let offset: Int
        let length: Int
        let checksum: UInt64
    }

    /// Opens the records for a build: the live file when the index's key matches (records are appended to it),
    /// else a new file to fill.
    /// - Parameter listedAt: when the content was listed; files modified within two seconds before are not kept.
    /// - Parameter garbageShare: the share of the file garbage may take before the live records are copied into a
    ///   new one.
    init(folder: URL, key: String, listedAt: Date, garbageShare: Double = 0.5) {
        self.folder = folder
        self.key = key
        self.garbageShare = garbageShare
        settledLimit = Int64(listedAt.timeIntervalSince1970.rounded(.down)) - 2
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        removeLeftovers()
        if !openLive() { startFresh() }
    }

    /// New files a killed build left half-written (`records.PID.tmp`, `records-index.PID.tmp`): only one build at a
    /// time opens the records, so none of them is being written.
    private func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names
        where name.hasSuffix(".tmp") && (name.hasPrefix(Self.fileName + ".") || name.hasPrefix(Self.indexName + ".")) {
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    deinit {
        unmap()
        if descriptor >= 0 { close(descriptor) }
        if let fresh { unlink(fresh.path) }
    }

    /// How many records the old index holds (for tests).
    var oldCount: Int { index.count }

    private var dataPath: String { folder.appendingPathComponent(Self.fileName).path }
    private var indexPath: String { folder.appendingPathComponent(Self.indexName).path }

    // MARK: Taking and keeping records

    /// The article parsed from the file at `path` when its record is in the old index with this signature, with the
    /// diagnostics it had and where its body is; the record is kept for the next build too. The document's rendered
    /// HTML is empty: the body stays in the file. Nil: read and parse the file.
    func document(
        _ path: String, signature: FileSignature, file: String, parser: DocumentParser, revision: Int
    ) -> (ArticleDocument, [Diagnostic], Body)? {
        guard let mapped, let entry = index[path], entry.signature == signature else { return nil }
        let metadata = UnsafeRawBufferPointer(rebasing: mapped[entry.offset..<entry.offset + entry.metadataLength])
        guard Self.checksum(metadata) == entry.metadataChecksum,
            let decoded = Self.decode(metadata, path: path, file: file, parser: parser, revision: revision)
        else {
            report("其中一条记录已损坏")
            return nil
        }
        if signature.modified < settledLimit { lock.withLock { written.append((path, entry)) } }
        var document = decoded.0
        document.digest = Self.digest(path: path, entry: entry)
        return (document, decoded.1, entry.body)
    }

    /// Keeps a freshly parsed article for the next build (unless its file was modified too recently to trust its
    /// signature). Returns its digest either way (`ArticleDocument.digest`), and where its body was written (nil
    /// when it was not).
    func keep(_ document: ArticleDocument, diagnostics: [Diagnostic], signature: FileSignature) -> (
        digest: UInt64, body: Body?
    ) {
        let metadata = Self.encode(document, diagnostics: diagnostics)
        var html = document.rendered.html
        return html.withUTF8 { body in
            let bodyBytes = UnsafeRawBufferPointer(body)
            var entry = metadata.withUnsafeBytes { metadata in
                Entry(
                    signature: signature, offset: 0, metadataLength: metadata.count, bodyLength: body.count,
                    metadataChecksum: Self.checksum(metadata), bodyChecksum: Self.checksum(bodyBytes))
            }
            let digest = Self.digest(path: document.contentPath, entry: entry)
            guard signature.modified < settledLimit, descriptor >= 0 else { return (digest, nil) }
            entry.offset = lock.withLock {
                defer { end += entry.length }
                return end
            }
            let done =
                metadata.withUnsafeBytes { Self.write($0, to: descriptor, at: entry.offset) }
                && Self.write(bodyBytes, to: descriptor, at: entry.offset + entry.metadataLength)
            lock.withLock {
                if done { written.append((document.contentPath, entry)) } else { failedWriting = true }
            }
            return (digest, done ? entry.body : nil)
        }
    }

    /// An article's digest: its content path and its record's checksums (the record holds everything parsed from the
    /// file, so the same digest means the same article, whether it was parsed or taken from a record).
    private static func digest(path: String, entry: Entry) -> UInt64 {
        var hasher = StableHasher(seed: entry.metadataChecksum)
        hasher.combine(entry.bodyChecksum)
        hasher.combine(path)
        return hasher.finalize()
    }

    /// A digest of a file's bytes and path, the same in every run (sections' digests).
    static func digest(path: String, checksum: UInt64) -> UInt64 {
        var hasher = StableHasher(seed: checksum)
        hasher.combine(path)
        return hasher.finalize()
    }

    /// The rendered body at the spot, read from the records file; nil when it cannot be read or fails its checksum
    /// (reported for W009).
    func body(_ body: Body) -> String? {
        var bytes = [UInt8](repeating: 0, count: body.length)
        let text = bytes.withUnsafeMutableBytes { buffer -> String? in
            guard PositionalIO.read(buffer, from: descriptor, at: body.offset) else { return nil }
            guard Self.checksum(UnsafeRawBufferPointer(buffer)) == body.checksum else { return nil }
            return String(validating: buffer.bindMemory(to: UInt8.self), as: UTF8.self)
        }
        if text == nil {
            lock.withLock {
                problem = problem ?? "其中一篇文章的正文已损坏"
                badBodies.insert(body.offset)
            }
        }
        return text
    }

    private func report(_ reason: String) {
        lock.withLock { problem = problem ?? reason }
    }

    // MARK: Committing

    /// Writes the new index (after a successful build), first copying the live records into a new file when
    /// garbage outweighs them. A cache that cannot be written costs the next build its speed, nothing else.
    func commit() {
        guard descriptor >= 0 else { return }
        guard !failedWriting else { return discard() }
        var entries = written
        if !badBodies.isEmpty { entries.removeAll { badBodies.contains($0.entry.body.offset) } }
        if fresh == nil {
            let live = entries.reduce(0) { $0 + $1.entry.length }
            let garbage = end - Self.headerLength - live
            // A compaction that fails leaves the live file as it was: it is appended to, as without one.
            if Double(garbage) > garbageShare * Double(end - Self.headerLength), garbage > 0,
                let moved = compact(entries)
            {
                entries = moved
            }
        }
        if let fresh {
            guard rename(fresh.path, dataPath) == 0 else { return discard() }
            self.fresh = nil
        }
        writeIndex(entries)
        close(descriptor)
        descriptor = -1
    }

    /// Copies the live records into a new file, which `commit` renames over the live one: the entries with their
    /// new offsets. Nil (nothing changed) when the new file cannot be made or written.
    private func compact(_ live: [(path: String, entry: Entry)]) -> [(path: String, entry: Entry)]? {
        let temporary = folder.appendingPathComponent(Self.fileName + ".\(getpid()).tmp")
        let target = open(temporary.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard target >= 0 else { return nil }
        var entries = live
        let newGeneration = UInt64.random(in: 1...UInt64.max)
        var ok = Self.write(Self.header(newGeneration)[...], to: target, at: 0)
        var offset = Self.headerLength
        // In file order: the old file is read front to back.
        entries.sort { $0.entry.offset < $1.entry.offset }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for position in entries.indices where ok {
            let length = entries[position].entry.length
            if buffer.count < length { buffer = [UInt8](repeating: 0, count: length) }
            ok = buffer.withUnsafeMutableBytes { bytes in
                let slice = UnsafeMutableRawBufferPointer(rebasing: bytes[..<length])
                return Self.read(slice, from: descriptor, at: entries[position].entry.offset)
                    && Self.write(UnsafeRawBufferPointer(slice), to: target, at: offset)
            }
            entries[position].entry.offset = offset
            offset += length
        }
        guard ok else {
            close(target)
            unlink(temporary.path)
            return nil
        }
        close(descriptor)
        descriptor = target
        generation = newGeneration
        end = offset
        fresh = temporary
        return entries
    }

    private func writeIndex(_ entries: [(path: String, entry: Entry)]) {
        var out = CacheBytesWriter()
        out.bytes.reserveCapacity(entries.count * 100 + 256)
        out.bytes += Self.indexMagic
        out.u32(Self.formatVersion)
        out.string(key)
        out.u64(generation)
        out.i64(Int64(end))
        out.i64(Int64(entries.count))
        for (path, entry) in entries {
            out.string(path)
            out.signature(entry.signature)
            out.i64(Int64(entry.offset))
            out.i64(Int64(entry.metadataLength))
            out.i64(Int64(entry.bodyLength))
            out.u64(entry.metadataChecksum)
            out.u64(entry.bodyChecksum)
        }
        // The checksum of all before it, then the file's whole length.
        out.u64(out.bytes.withUnsafeBytes(Self.checksum))
        out.i64(Int64(out.bytes.count + 8))
        let temporary = folder.appendingPathComponent(Self.indexName + ".\(getpid()).tmp")
        let file = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard file >= 0 else { return }
        let done = Self.write(out.bytes[...], to: file, at: 0)
        close(file)
        if !done || rename(temporary.path, indexPath) != 0 { unlink(temporary.path) }
    }

    /// Lets this build's records go (a failed build): what it appended is cut off, a new file removed; the files are
    /// as they were.
    func discard() {
        guard descriptor >= 0 else { return }
        if fresh == nil { _ = ftruncate(descriptor, off_t(committed)) }
        close(descriptor)
        descriptor = -1
        if let fresh { unlink(fresh.path) }
        fresh = nil
    }

    // MARK: Opening

    private static func header(_ generation: UInt64) -> [UInt8] {
        var header = CacheBytesWriter()
        header.bytes += magic
        header.u32(formatVersion)
        header.u64(generation)
        return header.bytes
    }

    /// A new records file beside the live one (renamed over it on commit).
    private func startFresh() {
        unmap()
        index = [:]
        if descriptor >= 0 { close(descriptor) }
        let temporary = folder.appendingPathComponent(Self.fileName + ".\(getpid()).tmp")
        descriptor = open(temporary.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        fresh = temporary
        generation = UInt64.random(in: 1...UInt64.max)
        end = Self.headerLength
        if !Self.write(Self.header(generation)[...], to: descriptor, at: 0) { failedWriting = true }
    }

    /// Opens the live file and its index for appending; false when there is none that can be used (with the
    /// reason in `problem` when something was there).
    private func openLive() -> Bool {
        let indexFile = open(indexPath, O_RDONLY | O_CLOEXEC)
        guard indexFile >= 0 else {
            if errno != ENOENT {
                problem = "无法读取"
            } else if access(dataPath, F_OK) == 0 {
                problem = "索引文件不见了"
            }
            return false
        }
        let read = Self.readIndex(indexFile, key: key)
        close(indexFile)
        let found: (generation: UInt64, length: Int, index: [String: Entry])
        switch read {
        case .success(let value): found = value
        case .failure(.otherKey): return false
        case .failure(.broken(let reason)):
            problem = reason
            return false
        }
        let file = open(dataPath, O_RDWR | O_CLOEXEC)
        guard file >= 0 else {
            problem = errno == ENOENT ? "记录文件不见了" : "无法读取"
            return false
        }
        descriptor = file
        var status = stat()
        var header = [UInt8](repeating: 0, count: Self.headerLength)
        guard fstat(file, &status) == 0, Int(status.st_size) >= found.length, found.length >= Self.headerLength,
            header.withUnsafeMutableBytes({ Self.read($0, from: file, at: 0) }),
            header == Self.header(found.generation)
        else {
            problem = "文件不完整或已损坏"
            return false
        }
        // What a build stopped half-way appended.
        if Int(status.st_size) > found.length, ftruncate(file, off_t(found.length)) != 0 { return false }
        guard let address = mmap(nil, found.length, PROT_READ, MAP_SHARED, file, 0),
            address != UnsafeMutableRawPointer(bitPattern: -1)
        else {
            problem = "无法读取"
            return false
        }
        mapped = UnsafeRawBufferPointer(start: address, count: found.length)
        generation = found.generation
        committed = found.length
        end = found.length
        index = found.index
        return true
    }

    private func unmap() {
        if let mapped { munmap(UnsafeMutableRawPointer(mutating: mapped.baseAddress!), mapped.count) }
        mapped = nil
    }

    private enum IndexProblem: Error {
        case otherKey
        case broken(String)
    }

    private static func readIndex(_ file: Int32, key: String) -> Result<
        (generation: UInt64, length: Int, index: [String: Entry]), IndexProblem
    > {
        var status = stat()
        guard fstat(file, &status) == 0 else { return .failure(.broken("无法读取")) }
        let size = Int(status.st_size)
        guard size >= indexMagic.count + 4 + 16 else { return .failure(.broken("不是 Lanmu 的缓存文件，或文件不完整")) }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, file, 0),
            address != UnsafeMutableRawPointer(bitPattern: -1)
        else { return .failure(.broken("无法读取")) }
        defer { munmap(address, size) }
        let bytes = UnsafeRawBufferPointer(start: address, count: size)
        guard bytes.starts(with: indexMagic) else { return .failure(.broken("不是 Lanmu 的缓存文件，或文件不完整")) }
        var reader = CacheBytesReader(bytes)
        reader.offset = size - 16
        guard let found = reader.u64(), let length = reader.i64(), length == size,
            found == checksum(UnsafeRawBufferPointer(rebasing: bytes[..<(size - 16)]))
        else { return .failure(.broken("文件不完整或已损坏")) }
        reader.offset = indexMagic.count
        guard let version = reader.u32(), version == formatVersion else {
            return .failure(.broken("缓存格式属于另一个 Lanmu 版本"))
        }
        guard let foundKey = reader.string() else { return .failure(.broken("文件已损坏")) }
        guard foundKey == key else { return .failure(.otherKey) }
        guard let generation = reader.u64(), let dataLength = reader.i64(), dataLength >= 0, let count = reader.count()
        else { return .failure(.broken("文件已损坏")) }
        var index: [String: Entry] = [:]
        index.reserveCapacity(count)
        for _ in 0..<count {
            guard let path = reader.string(), let signature = reader.signature(), let offset = reader.i64(),
                let metadataLength = reader.i64(), let bodyLength = reader.i64(), let metadataChecksum = reader.u64(),
                let bodyChecksum = reader.u64(), offset >= headerLength, metadataLength >= 0, bodyLength >= 0,
                offset + metadataLength + bodyLength <= dataLength
            else { return .failure(.broken("文件已损坏")) }
            index[path] = Entry(
                signature: signature, offset: Int(offset), metadataLength: Int(metadataLength),
                bodyLength: Int(bodyLength), metadataChecksum: metadataChecksum, bodyChecksum: bodyChecksum)
        }
        guard reader.offset == size - 16 else { return .failure(.broken("文件已损坏")) }
        return .success((generation, Int(dataLength), index))
    }

    private static func read(_ buffer: UnsafeMutableRawBufferPointer, from descriptor: Int32, at offset: Int) -> Bool {
        PositionalIO.read(buffer, from: descriptor, at: offset)
    }

    private static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, at offset: Int) -> Bool {
        PositionalIO.write(bytes, to: descriptor, at: offset)
    }

    private static func write(_ bytes: ArraySlice<UInt8>, to descriptor: Int32, at offset: Int) -> Bool {
        bytes.withUnsafeBytes { PositionalIO.write($0, to: descriptor, at: offset) }
    }

    /// A 64-bit checksum that reads eight bytes at a time (a record is checked each time it is taken).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01b3
            hash ^= hash >> 29
            offset += 8
        }
        while offset < bytes.count {
            hash = (hash ^ UInt64(bytes[offset])) &* 0x100_0000_01b3
            offset += 1
        }
        hash ^= hash >> 32
        return hash &* 0x9e37_79b9_7f4a_7c15
    }

    // MARK: One record

    /// A record's metadata: everything parsed from the file but the rendered body, which follows it in the file.
    static func encode(_ document: ArticleDocument, diagnostics: [Diagnostic]) -> [UInt8] {
        var out = CacheBytesWriter()
        out.bytes.reserveCapacity(document.rendered.leadingText.utf8.count + 512)
        out.i64(Int64(document.bodyFirstLine))
        let front = document.frontMatter
        out.string(front.title)
        out.i64(front.date.secondsSince1970)
        out.optional(front.source)
        out.optional(front.author)
        out.optional(front.editor)
        out.optional(front.summary)
        out.strings(front.tags)
        out.optional(front.slug)
        out.location(front.slugLocation)
        out.bool(front.draft)
        out.bool(front.pinned)
        out.optional(front.id)
        out.strings(front.aliases)
        out.location(front.aliasesLocation)
        let information = front.information
        out.optional(information.indexNumber)
        out.optional(information.issuer)
        out.i64(information.writtenDate?.secondsSince1970 ?? Int64.min)
        out.optional(information.documentNumber)
        out.optional(information.topic)
        out.optional(information.validity)
        out.i64(Int64(front.attachments.count))
        for attachment in front.attachments {
            out.string(attachment.path)
            out.optional(attachment.title)
            out.location(attachment.location)
        }
        let rendered = document.rendered
        out.string(rendered.leadingText)
        out.positions(rendered.droppedHTML)
        out.strings(rendered.headingIDs)
        out.i64(Int64(rendered.references.count))
        for reference in rendered.references {
            switch reference.target {
            case .external: out.bytes.append(0)
            case .anchor(let anchor):
                out.bytes.append(1)
                out.string(anchor)
            case .article(let candidates, let anchor):
                out.bytes.append(2)
                out.strings(candidates)
                out.optional(anchor)
            case .file(let path, let suffix):
                out.bytes.append(3)
                out.string(path)
                out.string(suffix)
            }
            out.position(reference.position)
            out.optional(reference.placeholder)
            out.bool(reference.isImage)
        }
        out.positions(rendered.imagesWithoutAlt)
        out.i64(Int64(rendered.statistics.characters))
        out.i64(Int64(rendered.statistics.words))
        out.optional(rendered.plainText)
        // With site search on, the body's text: the record's postings are made again (word values are per run).
        out.optional(document.search?.text)
        out.i64(Int64(diagnostics.count))
        for diagnostic in diagnostics {
            out.string(diagnostic.code.rawValue)
            out.location(diagnostic.location)
            out.string(diagnostic.message)
            out.string(diagnostic.hint)
        }
        return out.bytes
    }

    /// The article a record's metadata describes, its rendered HTML empty (the body stays in the file).
    static func decode(
        _ bytes: UnsafeRawBufferPointer, path: String, file: String, parser: DocumentParser, revision: Int
    ) -> (ArticleDocument, [Diagnostic])? {
        var input = CacheBytesReader(bytes)
        guard let bodyFirstLine = input.i64(), let title = input.string(), let date = input.i64(),
            let source = input.optional(), let author = input.optional(), let editor = input.optional(),
            let summary = input.optional(), let tags = input.strings(), let slug = input.optional(),
            let slugLocation = input.location(), let draft = input.bool(), let pinned = input.bool(),
            let id = input.optional(), let aliases = input.strings(), let aliasesLocation = input.location(),
            let indexNumber = input.optional(), let issuer = input.optional(), let writtenDate = input.i64(),
            let documentNumber = input.optional(), let topic = input.optional(), let validity = input.optional(),
            let attachmentCount = input.count()
        else { return nil }
        var attachments: [AttachmentReference] = []
        for _ in 0..<attachmentCount {
            guard let path = input.string(), let title = input.optional(), let location = input.location(),
                let location
            else { return nil }
            attachments.append(AttachmentReference(path: path, title: title, location: location))
        }
        let information = PublicInformation(
            indexNumber: indexNumber, issuer: issuer,
            writtenDate: writtenDate == Int64.min ? nil : PublishDate(secondsSince1970: writtenDate),
            documentNumber: documentNumber, topic: topic, validity: validity)
        let frontMatter = ArticleFrontMatter(
            title: title, date: PublishDate(secondsSince1970: date), source: source, author: author, editor: editor,
            summary: summary, tags: tags, slug: slug, slugLocation: slugLocation, draft: draft, pinned: pinned, id: id,
            aliases: aliases, aliasesLocation: aliasesLocation, information: information, attachments: attachments)
        guard let leadingText = input.string(), let droppedHTML = input.positions(),
            let headingIDs = input.strings(), let referenceCount = input.count()
        else { return nil }
        var references: [MarkdownRenderer.Reference] = []
        references.reserveCapacity(referenceCount)
        for _ in 0..<referenceCount {
            guard let tag = input.byte() else { return nil }
            let target: LinkTarget
            switch tag {
            case 0: target = .external
            case 1:
                guard let anchor = input.string() else { return nil }
                target = .anchor(anchor)
            case 2:
                guard let candidates = input.strings(), let anchor = input.optional() else { return nil }
                target = .article(candidates: candidates, anchor: anchor)
            case 3:
                guard let path = input.string(), let suffix = input.string() else { return nil }
                target = .file(path: path, suffix: suffix)
            default: return nil
            }
            guard let position = input.position(), let placeholder = input.optional(), let isImage = input.bool()
            else { return nil }
            references.append(
                MarkdownRenderer.Reference(
                    target: target, position: position, placeholder: placeholder, isImage: isImage))
        }
        guard let imagesWithoutAlt = input.positions(), let characters = input.i64(), let words = input.i64(),
            let plainText = input.optional(), let searchText = input.optional(), let diagnosticCount = input.count()
        else { return nil }
        var diagnostics: [Diagnostic] = []
        for _ in 0..<diagnosticCount {
            guard let raw = input.string(), let code = DiagnosticCode(rawValue: raw), let location = input.location(),
                let location, let message = input.string(), let hint = input.string()
            else { return nil }
            diagnostics.append(Diagnostic(code, at: location, message, hint: hint))
        }
        guard input.offset == bytes.count else { return nil }
        // A record made with search on (or off) is only taken by a build with the same (the key holds the settings).
        guard (searchText == nil) == (parser.searchWords == nil) else { return nil }
        let rendered = MarkdownRenderer.Rendered(
            html: "", leadingText: leadingText, droppedHTML: droppedHTML, headingIDs: headingIDs,
            references: references, imagesWithoutAlt: imagesWithoutAlt,
            statistics: TextStatistics(characters: Int(characters), words: Int(words)), plainText: plainText)
        var document = ArticleDocument(
            contentPath: path, file: file, frontMatter: frontMatter, rendered: rendered, settings: parser.settings,
            revision: revision, bodyFirstLine: Int(bodyFirstLine))
        if let searchText { document.search = parser.searchRecord(frontMatter, text: searchText) }
        return (document, diagnostics)
    }
}

/// Little-endian fields for the cache files.
struct CacheBytesWriter {
    var bytes: [UInt8] = []

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            u32(UInt32(utf8.count))
            bytes += utf8
        }
    }

    /// A string or none (length 0xFFFF_FFFF).
    mutating func optional(_ text: String?) {
        if let text { string(text) } else { u32(UInt32.max) }
    }

    mutating func strings(_ texts: [String]) {
        i64(Int64(texts.count))
        for text in texts { string(text) }
    }

    mutating func location(_ location: Diagnostic.Location?) {
        guard let location else { return bool(false) }
        bool(true)
        string(location.file)
        i64(Int64(location.line))
        i64(Int64(location.column))
    }

    mutating func position(_ position: MarkdownRenderer.Position) {
        i64(Int64(position.line))
        i64(Int64(position.column))
    }

    mutating func positions(_ positions: [MarkdownRenderer.Position]) {
        i64(Int64(positions.count))
        for item in positions { position(item) }
    }

    mutating func signature(_ signature: FileSignature) {
        i64(signature.modified)
        i64(signature.modifiedNanoseconds)
        i64(signature.size)
        u64(signature.inode)
    }
}

/// Reads what `CacheBytesWriter` wrote; any short read or bad value is nil.
struct CacheBytesReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bool() -> Bool? {
        switch byte() {
        case 0: false
        case 1: true
        default: nil
        }
    }

    mutating func u32() -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        defer { offset += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func u64() -> UInt64? {
        guard offset + 8 <= bytes.count else { return nil }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func i64() -> Int64? { u64().map { Int64(bitPattern: $0) } }

    /// A non-negative count no larger than the bytes there are.
    mutating func count() -> Int? {
        guard let value = i64(), value >= 0, value <= Int64(bytes.count) else { return nil }
        return Int(value)
    }

    mutating func string() -> String? {
        guard let length = u32(), length != UInt32.max else { return nil }
        return text(Int(length))
    }

    /// A string or none; nil (outer) when the bytes are bad.
    mutating func optional() -> String?? {
        guard let length = u32() else { return nil }
        if length == UInt32.max { return .some(nil) }
        guard let text = text(Int(length)) else { return nil }
        return .some(text)
    }

    private mutating func text(_ length: Int) -> String? {
        guard offset + length <= bytes.count else { return nil }
        defer { offset += length }
        // The record's checksum was checked: these are the bytes of a string that was written.
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
        guard let text = String(validating: slice.bindMemory(to: UInt8.self), as: UTF8.self) else { return nil }
        return text
    }

    mutating func strings() -> [String]? {
        guard let count = count() else { return nil }
        var texts: [String] = []
        texts.reserveCapacity(count)
        for _ in 0..<count {
            guard let text = string() else { return nil }
            texts.append(text)
        }
        return texts
    }

    mutating func location() -> Diagnostic.Location?? {
        guard let present = bool() else { return nil }
        guard present else { return .some(nil) }
        guard let file = string(), let line = i64(), let column = i64() else { return nil }
        return .some(Diagnostic.Location(file: file, line: Int(line), column: Int(column)))
    }

    mutating func position() -> MarkdownRenderer.Position? {
        guard let line = i64(), let column = i64() else { return nil }
        return MarkdownRenderer.Position(line: Int(line), column: Int(column))
    }

    mutating func positions() -> [MarkdownRenderer.Position]? {
        guard let count = count() else { return nil }
        var positions: [MarkdownRenderer.Position] = []
        for _ in 0..<count {
            guard let item = position() else { return nil }
            positions.append(item)
        }
        return positions
    }

    mutating func signature() -> FileSignature? {
        guard let modified = i64(), let nanoseconds = i64(), let size = i64(), let inode = u64() else { return nil }
        return FileSignature(modified: modified, modifiedNanoseconds: nanoseconds, size: size, inode: inode)
    }
}
