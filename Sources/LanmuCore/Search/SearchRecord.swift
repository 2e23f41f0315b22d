import Foundation

/// One article's part of the search index, made on the reading thread that rendered its body: every unit and every
/// pair of neighbouring units it holds, each with what its posting needs (for a unit: whether it is in the title; for
/// a pair: its positions), already in the index's text form. Merging the articles' records into shards
/// (`SearchIndex`) is then little more than appending bytes.
///
/// Positions: the title's units count from 0, the source's and the body's go on after a gap (one position that holds no
/// unit, so no pair spans the title's end). Whether an occurrence is in the title is written beside the postings (a
/// unit's flag, a pair's number of occurrences in the title), not read from the position: positions stay small.
struct SearchRecord: Sendable {
    /// Entries grouped by `chunk(of:)`: key (8 bytes), shard hash (4 bytes), data length (LEB128), data.
    let entries: [UInt8]
    /// Where each chunk's entries start in `entries` (`chunks + 1` offsets).
    let chunkStarts: [UInt32]
    /// The body's plain text (for excerpts).
    let text: String
    /// The article's units by position (`gap` where a position holds none): the longer grams (`SearchGrams`) are
    /// found in it once the merge knows which pairs are common.
    let sequence: [UInt32]
    /// Positions below this are the title's.
    let titleEnd: Int32
    /// FNV-1a 64 of the title, source and text, for the index's version (word values differ from run to run).
    let digest: UInt64

    /// Records are cut into this many chunks by shard hash; the merge works on chunks in parallel.
    static let chunks = 64
    static let chunkShift: UInt32 = 26

    /// The key of a single unit: its value with no second unit.
    static let noSecond: UInt64 = 0xFFFF_FFFF
    /// A position that holds no unit (white space, the end of the title and of the source).
    static let gap: UInt32 = 0xFFFF_FFFF

    /// Whether a key is a single unit's (pairs and longer grams are not).
    @inline(__always)
    static func isSingle(_ key: UInt64) -> Bool { key & noSecond == noSecond && key >> 63 == 0 }

    /// Makes the record of an article.
    /// - Parameters:
    ///   - words: the site's table of Latin words and numbers (a unit value each).
    static func make(title: String, source: String, body: String, words: SearchWords) -> SearchRecord {
        var scan = UnitScan(words: words, capacity: body.utf8.count / 2 + 64)
        scan.scan(title)
        let titleEnd = Int32(scan.position)
        scan.position += 1
        scan.scan(source)
        scan.position += 1
        scan.scan(body)
        let units = scan.units
        let positions = scan.positions
        let wordTexts = scan.wordTexts

        var groups = KeyGroups(units: units.count)
        for index in units.indices {
            groups.add(UInt64(units[index]) << 32 | noSecond, at: positions[index])
            if index + 1 < units.count, positions[index + 1] == positions[index] + 1 {
                groups.add(UInt64(units[index]) << 32 | UInt64(units[index + 1]), at: positions[index])
            }
        }
        var sequence = [UInt32](repeating: gap, count: scan.position)
        for index in units.indices { sequence[Int(positions[index])] = units[index] }
        let hashes = groups.keys.map { Self.hash(of: $0, wordTexts: wordTexts) }
        let (entries, chunkStarts) = encode(groups, hashes: hashes, titleEnd: titleEnd)
        var digest = SearchCode.Digest()
        digest.add(title)
        digest.add(source)
        digest.add(body)
        return SearchRecord(
            entries: entries, chunkStarts: chunkStarts, text: body, sequence: sequence, titleEnd: titleEnd,
            digest: digest.value)
    }

    /// An article's keys in the merge's form: entries grouped by chunk, a unit's with its title flag, a pair's or a
    /// longer gram's with its count, title count and positions.
    static func encode(_ groups: KeyGroups, hashes: [UInt32], titleEnd: Int32) -> (
        entries: [UInt8], chunkStarts: [UInt32]
    ) {
        let keys = groups.keys
        let firstOccurrence = groups.firstOccurrence
        let counts = groups.counts
        let next = groups.next
        let occurrencePositions = groups.occurrencePositions
        let occurrences = groups.occurrences

        // The entries in chunk order (a counting sort).
        var chunkCounts = [Int](repeating: 0, count: chunks + 1)
        for hash in hashes { chunkCounts[Int(hash >> chunkShift) + 1] += 1 }
        for chunk in 0..<chunks { chunkCounts[chunk + 1] += chunkCounts[chunk] }
        var order = [Int](repeating: 0, count: keys.count)
        var fill = chunkCounts
        for index in keys.indices {
            let chunk = Int(hashes[index] >> chunkShift)
            order[fill[chunk]] = index
            fill[chunk] += 1
        }
        var entries: [UInt8] = []
        entries.reserveCapacity(keys.count * 16 + occurrences * 2)
        var chunkStarts = [UInt32](repeating: 0, count: chunks + 1)
        var nextChunk = 0
        var data: [UInt8] = []
        for (rank, index) in order.enumerated() {
            while nextChunk <= chunks, chunkCounts[nextChunk] <= rank {
                chunkStarts[nextChunk] = UInt32(entries.count)
                nextChunk += 1
            }
            let key = keys[index]
            data.removeAll(keepingCapacity: true)
            var occurrence = Int(firstOccurrence[index])
            if isSingle(key) {
                // The merge folds the flag into the article's gap.
                data.append(occurrencePositions[occurrence] < titleEnd ? 1 : 0)
            } else {
                // Occurrences come in position order, the title's first.
                var inTitle = 0
                var scanned = occurrence
                while scanned >= 0, occurrencePositions[scanned] < titleEnd {
                    inTitle += 1
                    scanned = Int(next[scanned])
                }
                SearchCode.append(Int(counts[index]) << 1 | (inTitle > 0 ? 1 : 0), to: &data)
                if inTitle > 0 { SearchCode.append(inTitle, to: &data) }
                var previous: Int32 = -1
                while occurrence >= 0 {
                    let position = occurrencePositions[occurrence]
                    SearchCode.append(Int(position - previous - 1), to: &data)
                    previous = position
                    occurrence = Int(next[occurrence])
                }
            }
            withUnsafeBytes(of: key.littleEndian) { entries.append(contentsOf: $0) }
            withUnsafeBytes(of: hashes[index].littleEndian) { entries.append(contentsOf: $0) }
            SearchCode.appendLength(data.count, to: &entries)
            entries.append(contentsOf: data)
        }
        while nextChunk <= chunks {
            chunkStarts[nextChunk] = UInt32(entries.count)
            nextChunk += 1
        }
        return (entries, chunkStarts)
    }

    /// FNV-1a over the UTF-16 code units of the key's text, as `SearchText.hash` and the script work it out.
    private static func hash(of key: UInt64, wordTexts: [UInt32: String]) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        func add(_ unit: UInt32) {
            hash = SearchGrams.hash(continuing: hash, unit: unit, wordText: wordTexts[unit]!)
        }
        add(UInt32(key >> 32))
        let second = UInt32(key & noSecond)
        if second != UInt32(noSecond) { add(second) }
        return hash
    }
}

/// A text cut into units (`SearchText`) with their positions; Latin words and numbers get the site's unit values.
/// A struct with mutating methods, not closures over locals: those were boxed, and every append paid for it.
private struct UnitScan {
    let words: SearchWords
    var units: [UInt32] = []
    var positions: [Int32] = []
    var position = 0
    var localWords: [String: UInt32] = [:]
    var wordTexts: [UInt32: String] = [:]
    private var word: [UInt8] = []

    init(words: SearchWords, capacity: Int) {
        self.words = words
        units.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
    }

    mutating func scan(_ text: String) {
        var text = text
        var lastWasSpace = false
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                // A Swift string's UTF-8 is well-formed: it never ends inside a scalar.
                let (scalar, length) = UTF8Text.scalar(at: index, in: bytes)!
                index += length
                let value = SearchText.fold(scalar)
                if SearchText.isWordCharacter(value) {
                    word.append(UInt8(value))
                    lastWasSpace = false
                    continue
                }
                endWord()
                if SearchText.isSpace(value) {
                    if !lastWasSpace { position += 1 }
                    lastWasSpace = true
                } else {
                    units.append(value)
                    positions.append(Int32(position))
                    position += 1
                    lastWasSpace = false
                }
            }
        }
        endWord()
    }

    private mutating func endWord() {
        guard !word.isEmpty else { return }
        let text = String(decoding: word, as: UTF8.self)
        let id: UInt32
        if let known = localWords[text] {
            id = known
        } else {
            id = words.id(of: text)
            localWords[text] = id
            wordTexts[id] = text
        }
        units.append(id)
        positions.append(Int32(position))
        position += 1
        word.removeAll(keepingCapacity: true)
    }
}

/// An article's keys, each with its occurrences chained in `next`: an open-addressing table of keys.
struct KeyGroups {
    private var slots: [Int32]
    private let mask: Int
    var keys: [UInt64] = []
    var firstOccurrence: [Int32] = []
    private var lastOccurrence: [Int32] = []
    var counts: [Int32] = []
    var next: [Int32]
    var occurrencePositions: [Int32]
    var occurrences = 0

    /// A table for the keys of a text of `units` units (a unit and a pair each at most).
    init(units: Int) {
        var capacity = 64
        while capacity < units * 4 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Int32](repeating: -1, count: capacity)
        next = [Int32](repeating: -1, count: units * 2)
        occurrencePositions = [Int32](repeating: 0, count: units * 2)
    }

    mutating func add(_ key: UInt64, at position: Int32) {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 {
                slots[slot] = Int32(keys.count)
                keys.append(key)
                firstOccurrence.append(Int32(occurrences))
                lastOccurrence.append(Int32(occurrences))
                counts.append(1)
                break
            }
            if keys[Int(entry)] == key {
                let index = Int(entry)
                next[Int(lastOccurrence[index])] = Int32(occurrences)
                lastOccurrence[index] = Int32(occurrences)
                counts[index] += 1
                break
            }
            slot = (slot + 1) & mask
        }
        occurrencePositions[occurrences] = position
        occurrences += 1
    }
}

/// The Latin words and numbers of a site, each given a unit value above every Unicode scalar. Shared by the reading
/// threads: a word is looked up once per article.
final class SearchWords: @unchecked Sendable {
    static let firstID: UInt32 = 0x11_0000
    private let lock = NSLock()
    private var ids: [String: UInt32] = [:]
    private var texts: [String] = []

    func id(of word: String) -> UInt32 {
        lock.withLock {
            if let id = ids[word] { return id }
            let id = Self.firstID + UInt32(texts.count)
            ids[word] = id
            texts.append(word)
            return id
        }
    }

    /// Every word's text, by unit value less `firstID`.
    func snapshot() -> [String] { lock.withLock { texts } }

    /// The text of a unit value.
    func text(of unit: UInt32) -> String {
        if unit >= Self.firstID { return lock.withLock { texts[Int(unit - Self.firstID)] } }
        return String(Unicode.Scalar(unit)!)
    }
}

/// The index's text form of numbers: base 32, most significant digit first; a digit that is not the last is
/// `0`–`O`, the last `P`–`o`. No digit is white space, a tab or a quote.
enum SearchCode {
    static func append(_ value: Int, to bytes: inout [UInt8]) {
        precondition(value >= 0, "search numbers are not negative")
        if value < 32 {
            bytes.append(0x50 + UInt8(value))
            return
        }
        var digits = 0
        var rest = value
        while rest >= 32 {
            rest >>= 5
            digits += 1
        }
        var shift = digits * 5
        while shift > 0 {
            bytes.append(0x30 + UInt8((value >> shift) & 31))
            shift -= 5
        }
        bytes.append(0x50 + UInt8(value & 31))
    }

    /// Reads a number written by `append`, moving `index` past it.
    static func read(_ bytes: [UInt8], at index: inout Int) -> Int {
        var value = 0
        while true {
            let byte = bytes[index]
            index += 1
            if byte >= 0x50 { return value << 5 | Int(byte - 0x50) }
            value = value << 5 | Int(byte - 0x30)
        }
    }

    static func appendLength(_ value: Int, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    static func readLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) -> Int {
        var value = 0
        var shift = 0
        while true {
            let byte = bytes[index]
            index += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// FNV-1a 64: a stable digest (Swift's `Hasher` is seeded per process).
    struct Digest {
        private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

        mutating func add(_ text: String) {
            var text = text
            var value = self.value
            text.withUTF8 { bytes in
                for byte in bytes {
                    value ^= UInt64(byte)
                    value = value &* 0x100_0000_01B3
                }
            }
            self.value = value
            add(byte: 0xFF)
        }

        mutating func add(_ number: UInt64) {
            withUnsafeBytes(of: number.littleEndian) { for byte in $0 { add(byte: byte) } }
        }

        @inline(__always)
        mutating func add(byte: UInt8) {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01B3
        }
    }
}
