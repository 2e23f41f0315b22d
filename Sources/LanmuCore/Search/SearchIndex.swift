import Foundation

/// The site search index, merged from the articles' records (`SearchRecord`) into the files the results page reads
/// (format 3; docs/architecture.md has the whole of it):
///
/// - `search/index.json`, the manifest: the version, the number of shards, the longest gram, the articles and the
///   columns;
/// - `search/<version>/s/<n>.txt`, the shards: one line per key (a unit, a pair of units, or a gram of up to
///   `SearchGrams.limit` units that extends a common key) whose shard hash falls there, `key<TAB>postings`; postings
///   are numbers in `SearchCode`'s form, for each article (by number, newest first = 0): for a unit, twice the gap to
///   the previous article plus 1 when the unit is in the title; for a pair or gram, the gap, then twice its count plus
///   1 when some of its occurrences are in the title, then (only then) how many are, then its positions (gaps; the
///   title's first, see `SearchRecord`);
/// - a key whose postings pass `ownFileFrom` bytes is common: `key<TAB>>` in its shard, and (its n-th such key, from
///   0) `p/<shard>-<n>.txt` with a unit's or pair's postings, `a/<shard>-<n>.txt` with a pair's or gram's articles (a
///   unit's form), so that a query for a rare key does not download a common one that shares its shard;
/// - `search/<version>/c/<n>.txt`, each section's articles (the `?column=` filter), as gaps;
/// - `search/<version>/d/<n>.json`, one per article: URL, title, date, column, text (for the results and excerpts).
///
/// Every file but the manifest is under the version (a digest of the indexed text), so a cached file of an older
/// build never mixes with a newer manifest.
struct SearchIndex: Sendable {
    /// The output folder, below the output root.
    static let folder = "search"
    static let manifestPath = "search/index.json"
    static let pagePath = "search/index.html"
    static let pageURL = "/search/"
    /// The index's form, which the theme's script checks: 2 since units' title flags went into their gaps and
    /// positions lost their 1024 offset, 3 since common keys have article lists and longer grams (`SearchGrams`).
    static let formatNumber = 3

    /// Articles by number (newest first): their index in `site.articles`.
    let articles: [Int]
    let version: String
    /// The shards' text (`s/<n>.txt`) and the postings of common keys (`p/<shard>-<n>.txt`): paths below the
    /// version folder and bytes.
    let files: [(path: String, bytes: [UInt8])]
    /// Postings longer than this (bytes) go into a file of their own (`BuildOptions.searchOwnFileFrom`).
    static let ownFileFrom = 4096
    let manifest: String

    /// Merges the records of the site's articles. Nil when an article has no record (search was off when it was
    /// read).
    init?(site: Site, words: SearchWords, ownFileFrom: Int = SearchIndex.ownFileFrom) {
        let order = site.sections[0].allArticles
        var records: [SearchRecord] = []
        records.reserveCapacity(order.count)
        for index in order {
            guard let record = site.articles[index].parsed.search else { return nil }
            records.append(record)
        }
        articles = order
        var digest = SearchCode.Digest()
        // The form is part of the version: a file cached from a build of another form never meets this manifest.
        digest.add(UInt64(Self.formatNumber))
        for record in records { digest.add(record.digest) }
        for (index, article) in order.enumerated() {
            digest.add(UInt64(index))
            digest.add(site.articles[article].url)
            digest.add(site.articles[article].parsed.listDateText)
            digest.add(site.sections[site.articles[article].section].title)
        }
        for section in site.sections {
            digest.add(section.url)
            digest.add(section.title)
        }
        let (files, bits) = Self.merge(records, words: words, ownFileFrom: ownFileFrom)
        digest.add(UInt64(bits))
        digest.add(UInt64(SearchGrams.limit))
        digest.add(UInt64(ownFileFrom))
        version = String(digest.value, radix: 16)
        self.files = files
        manifest = Self.manifest(site: site, version: version, bits: bits, count: order.count)
    }

    /// Every file of the index, with its job.
    func jobs(site: Site) -> [(path: String, job: OutputJob)] {
        var jobs: [(path: String, job: OutputJob)] = [(Self.manifestPath, .searchManifest)]
        let base = "\(Self.folder)/\(version)/"
        for (index, file) in files.enumerated() { jobs.append((base + file.path, .searchShard(index))) }
        for section in site.sections.indices { jobs.append((base + "c/\(section).txt", .searchColumn(section))) }
        for number in articles.indices { jobs.append((base + "d/\(number).json", .searchDocument(number))) }
        return jobs
    }

    // MARK: Files

    /// A section's articles by number, as gaps.
    func column(_ section: Int, site: Site) -> String {
        var numbers = [Int](repeating: 0, count: site.articles.count)
        for (number, index) in articles.enumerated() { numbers[index] = number }
        var bytes: [UInt8] = []
        var previous = -1
        for number in site.sections[section].allArticles.map({ numbers[$0] }).sorted() {
            SearchCode.append(number - previous - 1, to: &bytes)
            previous = number
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An article's entry: `[url, title, date, column, text]`.
    func document(_ number: Int, site: Site) -> String {
        let article = site.articles[articles[number]]
        let fields = [
            article.url, article.title, article.parsed.listDateText, site.sections[article.section].title,
            article.parsed.search?.text ?? "",
        ]
        return "[" + fields.map(Self.json).joined(separator: ",") + "]"
    }

    private static func manifest(site: Site, version: String, bits: Int, count: Int) -> String {
        let columns = site.sections.map { "[" + json($0.url) + "," + json($0.title) + "]" }.joined(separator: ",")
        return """
            {"format":\(formatNumber),"version":\(json(version)),"base":\(json(Permalinks.url(ofPath: folder + "/" + version + "/"))),\
            "bits":\(bits),"grams":\(SearchGrams.limit),"documents":\(count),"columns":[\(columns)]}

            """
    }

    /// A JSON string, escaped for a `<script>`-free JSON file: `"`, `\\`, control characters, `<`, U+2028 and U+2029.
    /// Written by byte (other bytes are copied as they are); `SearchIndexTests` holds it to a scalar-by-scalar twin.
    static func json(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            let hex = Array("0123456789abcdef".utf8)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            out.append(0x22)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [0x5C, byte]
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x0D: out += [0x5C, UInt8(ascii: "r")]
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                case UInt8(ascii: "<"): out += Array("\\u003c".utf8)
                case 0xE2
                where index + 1 < bytes.count && bytes[index] == 0x80
                    && (bytes[index + 1] == 0xA8 || bytes[index + 1] == 0xA9):
                    out += Array("\\u202".utf8) + [bytes[index + 1] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")]
                    index += 2
                default: out.append(byte)
                }
            }
            out.append(0x22)
            return String(decoding: out, as: UTF8.self)
        }
    }

    // MARK: Merging

    @inline(__always)
    private static func slot(of key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// Doubles the table and places every key again.
    private static func grow(_ slots: inout [Int32], keys: [UInt64]) {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (builder, key) in keys.enumerated() {
            var slot = slot(of: key, mask: mask)
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(builder)
        }
    }

    /// One key after the merge: its text, shard hash, postings (as in a shard line) and length in units.
    struct MergedKey {
        let key: UInt64
        let text: String
        let hash: UInt32
        /// A unit's articles; a rare pair's or gram's positions; a common pair's positions; a common gram's articles.
        let postings: [UInt8]
        let length: Int
        /// Whether the key is common: postings over `ownFileFrom` bytes, in files of their own (`>` in its shard).
        let own: Bool
    }

    /// The shards' text: units and pairs merged from the records, then the longer grams level by level
    /// (`SearchGrams`), then each chunk's shards written.
    /// A shard's lines should not be much longer than this (bytes), so that a query reads few small files.
    static let shardSize = 2048

    private static func merge(_ records: [SearchRecord], words: SearchWords, ownFileFrom: Int) -> (
        files: [(path: String, bytes: [UInt8])], bits: Int
    ) {
        let sources = records.map { SearchEntries(entries: $0.entries, chunkStarts: $0.chunkStarts) }
        var chunks = mergeLevel(sources, length: 2, ownFileFrom: ownFileFrom) { key in
            var text = words.text(of: UInt32(key >> 32))
            let second = UInt32(key & SearchRecord.noSecond)
            if second != UInt32(SearchRecord.noSecond) { text += words.text(of: second) }
            return text
        }
        SearchGrams.extend(&chunks, records: records, words: words, ownFileFrom: ownFileFrom)
        // At least 64 shards, and about four articles' keys or `shardSize` bytes of lines a shard, whichever needs
        // more.
        var lineBytes = 0
        for chunk in chunks {
            for key in chunk {
                lineBytes += key.text.utf8.count + 2 + (key.own ? 1 : key.postings.count)
            }
        }
        var bits = 6
        while bits < 16, 1 << bits < records.count / 4 || lineBytes >> bits > shardSize { bits += 1 }
        let shardShift = UInt32(32 - bits)
        let perChunk = (1 << bits) / SearchRecord.chunks
        let files = Parallel.map(Array(chunks.indices)) { chunk -> [(path: String, bytes: [UInt8])] in
            // Each shard's lines in the order of their keys' text.
            var byShard: [[Int]] = Array(repeating: [], count: perChunk)
            let keys = chunks[chunk]
            for index in keys.indices { byShard[Int(keys[index].hash >> shardShift) - chunk * perChunk].append(index) }
            var files: [(path: String, bytes: [UInt8])] = []
            for (offset, lines) in byShard.enumerated() {
                let shard = chunk * perChunk + offset
                var bytes: [UInt8] = []
                var own: [(path: String, bytes: [UInt8])] = []
                var ownCount = 0
                for line in lines.sorted(by: { keys[$0].text.utf8.lexicographicallyPrecedes(keys[$1].text.utf8) }) {
                    let key = keys[line]
                    bytes.append(contentsOf: key.text.utf8)
                    bytes.append(0x09)
                    if key.own {
                        bytes.append(UInt8(ascii: ">"))
                        // A unit's postings are its articles; a pair's positions stay beside its articles (a longer
                        // query aligns them); a longer gram has its articles only (`mergeLevel` dropped its positions:
                        // only its whole text is looked up).
                        if key.length <= 2 { own.append(("p/\(shard)-\(ownCount).txt", key.postings)) }
                        if key.length == 2 { own.append(("a/\(shard)-\(ownCount).txt", articleList(key.postings))) }
                        if key.length > 2 { own.append(("a/\(shard)-\(ownCount).txt", key.postings)) }
                        ownCount += 1
                    } else {
                        bytes.append(contentsOf: key.postings)
                    }
                    bytes.append(0x0A)
                }
                files.append(("s/\(shard).txt", bytes))
                files += own
            }
            return files
        }
        return (files.flatMap { $0 }, bits)
    }

    /// A pair's or gram's postings as an article list: for each article, twice the gap plus 1 when some occurrence
    /// is in the title (a unit's form).
    static func articleList(_ postings: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < postings.count {
            let gap = SearchCode.read(postings, at: &index)
            let counted = SearchCode.read(postings, at: &index)
            if counted & 1 == 1 { _ = SearchCode.read(postings, at: &index) }
            for _ in 0..<counted >> 1 { _ = SearchCode.read(postings, at: &index) }
            SearchCode.append(gap << 1 | counted & 1, to: &out)
        }
        return out
    }

    /// Merges the articles' entries (in article number order) chunk by chunk, each chunk on its own thread.
    /// - Parameters:
    ///   - length: the units in a key that is not a single unit's.
    ///   - ownFileFrom: postings longer than this make a key common; a common gram of three or more units keeps its
    ///     article list only.
    ///   - text: a key's text.
    static func mergeLevel(
        _ sources: [SearchEntries], length: Int, ownFileFrom: Int, text: (UInt64) -> String
    ) -> [[MergedKey]] {
        Parallel.map(Array(0..<SearchRecord.chunks)) { chunk -> [MergedKey] in
            // Keys to builders: open addressing on a multiplicative hash (a `Dictionary` hashed every entry with
            // SipHash, 8 % of an indexed build's time).
            var slots = [Int32](repeating: -1, count: 1 << 12)
            var keys: [UInt64] = []
            var hashes: [UInt32] = []
            var postings: [[UInt8]] = []
            var last: [Int] = []
            for (number, source) in sources.enumerated() {
                let start = Int(source.chunkStarts[chunk])
                let end = Int(source.chunkStarts[chunk + 1])
                guard start < end else { continue }
                source.entries.withUnsafeBufferPointer { entries in
                    var index = start
                    while index < end {
                        let raw = UnsafeRawBufferPointer(entries)
                        let key = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                        let hash = raw.loadUnaligned(fromByteOffset: index + 8, as: UInt32.self)
                        index += 12
                        let length = SearchCode.readLength(entries, at: &index)
                        var slot = Self.slot(of: key, mask: slots.count - 1)
                        while slots[slot] >= 0, keys[Int(slots[slot])] != key { slot = (slot + 1) & (slots.count - 1) }
                        let builder: Int
                        if slots[slot] >= 0 {
                            builder = Int(slots[slot])
                        } else {
                            builder = keys.count
                            slots[slot] = Int32(builder)
                            keys.append(key)
                            hashes.append(hash)
                            postings.append([])
                            last.append(-1)
                            if keys.count * 2 > slots.count { Self.grow(&slots, keys: keys) }
                        }
                        let gap = number - last[builder] - 1
                        last[builder] = number
                        if SearchRecord.isSingle(key) {
                            // A unit: its title flag (one byte) folded into the gap.
                            SearchCode.append(gap << 1 | Int(entries[index]), to: &postings[builder])
                        } else {
                            SearchCode.append(gap, to: &postings[builder])
                            postings[builder].append(contentsOf: entries[index..<index + length])
                        }
                        index += length
                    }
                }
            }
            return keys.indices.map { builder in
                let key = keys[builder]
                let keyLength = SearchRecord.isSingle(key) ? 1 : length
                let own = postings[builder].count > ownFileFrom
                return MergedKey(
                    key: key, text: text(key), hash: hashes[builder],
                    postings: own && keyLength > 2 ? articleList(postings[builder]) : postings[builder],
                    length: keyLength, own: own)
            }
        }
    }
}

/// An article's entries for the merge (`SearchRecord`'s form).
struct SearchEntries: Sendable {
    let entries: [UInt8]
    let chunkStarts: [UInt32]

    static let empty = SearchEntries(
        entries: [], chunkStarts: [UInt32](repeating: 0, count: SearchRecord.chunks + 1))
}
