import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Parsed articles kept between `lanmu build` runs in `.lanmu-cache/records`: for each article file, by its content
/// path and `stat` signature, what `DocumentParser` made of it — front matter, rendered body and its findings (links,
/// heading ids, statistics, the search text) and the file's diagnostics. A build takes an unchanged file's record
/// instead of reading and parsing the file; only changed files are read.
///
/// A record is only as good as what it was made with, so the file has a key: the executable, folders and options
/// (`BuildCache.key`) and a digest of the bytes of `content/_index.md` (the settings the parser reads with). Another
/// key: the file is not used (silently: the settings changed, or the state's own W009 already says why). The
/// header and index carry a checksum, and every record its own, checked when the record is taken: a truncated or
/// altered file is reported (W009) and the files it would have given are read again. Records of files modified
/// within two seconds of the listing are not kept (`BuildCache.settled`).
///
/// Each build writes a new file beside the old one (records taken and made, appended from the reading threads) and
/// renames it over the old one when the build succeeded; a failed build leaves the old file.
final class RecordCache: @unchecked Sendable {
    static let fileName = "records"
    private static let magic = Array("LANMU-RECORDS\n".utf8)
    private static let formatVersion: UInt32 = 1

    let folder: URL
    let key: String
    /// Why the old file, or part of it, could not be used (for W009); nil when it was fine or absent.
    private(set) var problem: String?

    /// The old file, mapped.
    private var old: UnsafeRawBufferPointer?
    private var index: [String: Entry] = [:]
    private let settledLimit: Int64

    /// The new file.
    private var descriptor: Int32 = -1
    private let temporary: URL
    private let lock = NSLock()
    private var end = 0
    private var written: [(path: String, entry: Entry)] = []
    private var failedWriting = false

    struct Entry {
        var signature: FileSignature
        var offset: Int
        var length: Int
        var checksum: UInt64
    }

    /// Opens the cache for a build: the old file when its key matches, and a new file to fill.
    /// - Parameter listedAt: when the content was listed; files modified within two seconds before are not kept.
    init(folder: URL, key: String, listedAt: Date) {
        self.folder = folder
        self.key = key
        settledLimit = Int64(listedAt.timeIntervalSince1970.rounded(.down)) - 2
        temporary = folder.appendingPathComponent(Self.fileName + ".\(getpid()).tmp")
        openOld()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        descriptor = open(temporary.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor >= 0 {
            var header = CacheBytesWriter()
            header.bytes += Self.magic
            header.u32(Self.formatVersion)
            header.string(key)
            end = header.bytes.count
            if !Self.write(header.bytes[...], to: descriptor, at: 0) { failedWriting = true }
        }
    }

    deinit {
        if let old { munmap(UnsafeMutableRawPointer(mutating: old.baseAddress!), old.count) }
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporary.path)
        }
    }

    /// How many records the old file holds (for tests).
    var oldCount: Int { index.count }

    // MARK: Taking and keeping records

    /// The article parsed from the file at `path` when its record is in the old file with this signature, with the
    /// diagnostics it had; the record is kept for the new file too. Nil: read and parse the file.
    func document(
        _ path: String, signature: FileSignature, file: String, parser: DocumentParser, revision: Int
    ) -> (ArticleDocument, [Diagnostic])? {
        guard let old, let entry = index[path], entry.signature == signature else { return nil }
        let record = UnsafeRawBufferPointer(rebasing: old[entry.offset..<entry.offset + entry.length])
        guard Self.checksum(record) == entry.checksum,
            let decoded = Self.decode(record, path: path, file: file, parser: parser, revision: revision)
        else {
            lock.withLock { problem = problem ?? "其中一条记录已损坏" }
            return nil
        }
        if signature.modified < settledLimit { append(path, entry: entry, bytes: record) }
        var document = decoded.0
        document.digest = Self.digest(path: path, checksum: entry.checksum)
        return (document, decoded.1)
    }

    /// Keeps a freshly parsed article for the next build (unless its file was modified too recently to trust its
    /// signature); its digest either way (`ArticleDocument.digest`).
    func keep(_ document: ArticleDocument, diagnostics: [Diagnostic], signature: FileSignature) -> UInt64 {
        let bytes = Self.encode(document, diagnostics: diagnostics)
        return bytes.withUnsafeBytes { record in
            let checksum = Self.checksum(record)
            if signature.modified < settledLimit {
                append(
                    document.contentPath,
                    entry: Entry(signature: signature, offset: 0, length: record.count, checksum: checksum),
                    bytes: record)
            }
            return Self.digest(path: document.contentPath, checksum: checksum)
        }
    }

    /// An article's digest: its content path and its record's checksum (the record holds everything parsed from the
    /// file, so the same digest means the same article, whether it was parsed or taken from a record).
    static func digest(path: String, checksum: UInt64) -> UInt64 {
        var hasher = StableHasher(seed: checksum)
        hasher.combine(path)
        return hasher.finalize()
    }

    private func append(_ path: String, entry: Entry, bytes: UnsafeRawBufferPointer) {
        guard descriptor >= 0 else { return }
        var placed = entry
        lock.withLock {
            placed.offset = end
            end += bytes.count
        }
        let done = Self.write(bytes, to: descriptor, at: placed.offset)
        lock.withLock {
            if done { written.append((path, placed)) } else { failedWriting = true }
        }
    }

    /// Writes the index and renames the new file over the old one (after a successful build). A cache that cannot
    /// be written costs the next build its speed, nothing else.
    func commit() {
        guard descriptor >= 0 else { return }
        guard !failedWriting else { return discard() }
        var tail = CacheBytesWriter()
        let indexOffset = end
        tail.i64(Int64(written.count))
        for (path, entry) in written {
            tail.string(path)
            tail.signature(entry.signature)
            tail.i64(Int64(entry.offset))
            tail.i64(Int64(entry.length))
            tail.u64(entry.checksum)
        }
        tail.i64(Int64(indexOffset))
        // The header's and the index's checksum, then the file's whole length.
        var header = CacheBytesWriter()
        header.bytes += Self.magic
        header.u32(Self.formatVersion)
        header.string(key)
        var both = header.bytes
        both += tail.bytes
        tail.u64(both.withUnsafeBytes(Self.checksum))
        tail.i64(Int64(indexOffset + tail.bytes.count + 8))
        guard Self.write(tail.bytes[...], to: descriptor, at: indexOffset) else { return discard() }
        close(descriptor)
        descriptor = -1
        if rename(temporary.path, folder.appendingPathComponent(Self.fileName).path) != 0 {
            unlink(temporary.path)
        }
    }

    /// Lets the new file go (a failed build): the old one stays as it was.
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary.path)
    }

    // MARK: The old file

    private func openOld() {
        let path = folder.appendingPathComponent(Self.fileName).path
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else {
            if errno != ENOENT { problem = "无法读取" }
            return
        }
        defer { close(file) }
        var status = stat()
        guard fstat(file, &status) == 0 else {
            problem = "无法读取"
            return
        }
        let size = Int(status.st_size)
        guard size > 0, let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, file, 0),
            address != UnsafeMutableRawPointer(bitPattern: -1)
        else {
            problem = "文件不完整或已损坏"
            return
        }
        let bytes = UnsafeRawBufferPointer(start: address, count: size)
        old = bytes
        switch Self.readIndex(bytes, key: key) {
        case .success(let found): index = found
        case .failure(.otherKey): index = [:]
        case .failure(.broken(let reason)):
            problem = reason
            index = [:]
        }
    }

    private enum IndexProblem: Error {
        case otherKey
        case broken(String)
    }

    private static func readIndex(_ bytes: UnsafeRawBufferPointer, key: String) -> Result<
        [String: Entry], IndexProblem
    > {
        guard bytes.count >= magic.count + 4 + 24, bytes.starts(with: magic) else {
            return .failure(.broken("不是 Lanmu 的缓存文件，或文件不完整"))
        }
        var reader = CacheBytesReader(bytes)
        reader.offset = bytes.count - 8
        guard let length = reader.i64(), length == bytes.count else {
            return .failure(.broken("文件不完整或已损坏"))
        }
        reader.offset = bytes.count - 24
        guard let indexOffset = reader.count(), let checksum = reader.u64(), indexOffset >= magic.count,
            indexOffset <= bytes.count - 24
        else { return .failure(.broken("文件不完整或已损坏")) }
        reader.offset = magic.count
        guard let version = reader.u32(), version == formatVersion else {
            return .failure(.broken("缓存格式属于另一个 Lanmu 版本"))
        }
        guard let foundKey = reader.string() else { return .failure(.broken("文件已损坏")) }
        let headerEnd = reader.offset
        var both = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[..<headerEnd]))
        both += UnsafeRawBufferPointer(rebasing: bytes[indexOffset..<bytes.count - 16])
        guard headerEnd <= indexOffset, both.withUnsafeBytes(Self.checksum) == checksum else {
            return .failure(.broken("文件不完整或已损坏"))
        }
        guard foundKey == key else { return .failure(.otherKey) }
        reader.offset = indexOffset
        guard let count = reader.count() else { return .failure(.broken("文件已损坏")) }
        var index: [String: Entry] = [:]
        index.reserveCapacity(count)
        for _ in 0..<count {
            guard let path = reader.string(), let signature = reader.signature(), let offset = reader.count(),
                let length = reader.count(), let checksum = reader.u64(), offset >= headerEnd,
                offset + length <= indexOffset
            else { return .failure(.broken("文件已损坏")) }
            index[path] = Entry(signature: signature, offset: offset, length: length, checksum: checksum)
        }
        return .success(index)
    }

    private static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let count = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            done += count
        }
        return true
    }

    private static func write(_ bytes: ArraySlice<UInt8>, to descriptor: Int32, at offset: Int) -> Bool {
        bytes.withUnsafeBytes { write($0, to: descriptor, at: offset) }
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

    static func encode(_ document: ArticleDocument, diagnostics: [Diagnostic]) -> [UInt8] {
        var out = CacheBytesWriter()
        out.bytes.reserveCapacity(document.rendered.html.utf8.count + 512)
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
        out.string(rendered.html)
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
        guard let html = input.string(), let leadingText = input.string(), let droppedHTML = input.positions(),
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
            html: html, leadingText: leadingText, droppedHTML: droppedHTML, headingIDs: headingIDs,
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
