/// The longer grams of the index (format 3): for every common key (postings over `ownFileFrom` bytes) of two or more
/// units, every gram one unit longer that starts with it, up to `limit` units, in the same form as a pair's postings.
/// A query term whose every prefix from its first pair on is common is then answered by its own key's article list,
/// without downloading the positions of its common pairs (三服务, 退役军人); a term that meets a rare prefix uses
/// that prefix's positions and pairs for the rest. Because a common gram's extensions are all indexed, a missing
/// extension means no article holds it.
enum SearchGrams {
    /// The longest gram indexed, in units.
    static let limit = 4

    /// Adds the grams of three to `limit` units to the merged keys of each chunk.
    static func extend(
        _ chunks: inout [[SearchIndex.MergedKey]], records: [SearchRecord], words: SearchWords, ownFileFrom: Int
    ) {
        guard limit >= 3 else { return }
        // The common keys of the level below: ids by key, their texts and shard hashes.
        var common = Common()
        for chunk in chunks {
            for key in chunk where key.length == 2 && key.own { common.add(key) }
        }
        guard !common.texts.isEmpty else { return }
        let pairs = common
        // For each article and position, the id of the common key of the level below that starts there, or -1: one
        // buffer an article, overwritten level by level (4 bytes a position).
        let starts = records.map { UnsafeMutableBufferPointer<Int32>.allocate(capacity: $0.sequence.count) }
        defer { for buffer in starts { buffer.deallocate() } }
        _ = Parallel.map(Array(records.indices)) { number -> Int in
            let sequence = records[number].sequence
            let ids = starts[number]
            ids.initialize(repeating: -1)
            guard sequence.count >= 2 else { return 0 }
            for position in 0..<sequence.count - 1
            where sequence[position] != SearchRecord.gap && sequence[position + 1] != SearchRecord.gap {
                ids[position] = pairs.table.find(UInt64(sequence[position]) << 32 | UInt64(sequence[position + 1]))
            }
            return 0
        }
        let wordTexts = words.snapshot()
        for length in 3...limit {
            let parents = common
            let sources = Parallel.map(Array(records.indices)) { number -> SearchEntries in
                let record = records[number]
                let ids = starts[number]
                let count = ids.count { $0 >= 0 }
                guard count > 0 else { return SearchEntries.empty }
                var groups = KeyGroups(units: count)
                for position in ids.indices where ids[position] >= 0 {
                    let next = position + length - 1
                    guard next < record.sequence.count, record.sequence[next] != SearchRecord.gap else { continue }
                    groups.add(key(parent: UInt64(ids[position]), unit: record.sequence[next]), at: Int32(position))
                }
                let hashes = groups.keys.map { key in
                    hash(
                        continuing: parents.hashes[Int(key >> 24 & 0x7F_FFFF_FFFF)], unit: UInt32(key & 0xFF_FFFF),
                        wordTexts: wordTexts)
                }
                let (entries, chunkStarts) = SearchRecord.encode(groups, hashes: hashes, titleEnd: record.titleEnd)
                return SearchEntries(entries: entries, chunkStarts: chunkStarts)
            }
            let merged = SearchIndex.mergeLevel(sources, length: length, ownFileFrom: ownFileFrom) { key in
                parents.texts[Int(key >> 24 & 0x7F_FFFF_FFFF)] + words.text(of: UInt32(key & 0xFF_FFFF))
            }
            common = Common()
            for (index, chunk) in merged.enumerated() {
                chunks[index] += chunk
                for key in chunk where key.own { common.add(key) }
            }
            guard length < limit, !common.texts.isEmpty else { return }
            let next = common
            _ = Parallel.map(Array(records.indices)) { number -> Int in
                let sequence = records[number].sequence
                let ids = starts[number]
                for position in ids.indices where ids[position] >= 0 {
                    let last = position + length - 1
                    if last < sequence.count, sequence[last] != SearchRecord.gap {
                        ids[position] = next.table.find(key(parent: UInt64(ids[position]), unit: sequence[last]))
                    } else {
                        ids[position] = -1
                    }
                }
                return 0
            }
        }
    }

    /// A gram's key: its prefix's id among the common keys of its level and its last unit (the top bit tells it
    /// from a unit's or a pair's key).
    @inline(__always)
    static func key(parent: UInt64, unit: UInt32) -> UInt64 {
        precondition(unit < 1 << 24, "search unit values stay below 2^24")
        return 1 << 63 | parent << 24 | UInt64(unit)
    }

    /// FNV-1a (`SearchText.hash`) of a text one unit longer than the text whose hash is `hash`.
    static func hash(continuing hash: UInt32, unit: UInt32, wordTexts: [String]) -> UInt32 {
        Self.hash(continuing: hash, unit: unit, wordText: wordTexts[Int(unit - SearchWords.firstID)])
    }

    /// The same, the text of a Latin word or number unit given by `wordText` (read only for such a unit).
    @inline(__always)
    static func hash(continuing hash: UInt32, unit: UInt32, wordText: @autoclosure () -> String) -> UInt32 {
        var hash = hash
        if unit >= SearchWords.firstID {
            for byte in wordText().utf8 {
                hash ^= UInt32(byte)
                hash = hash &* 16_777_619
            }
        } else if unit >= 0x10000 {
            let value = unit - 0x10000
            for half in [0xD800 + (value >> 10), 0xDC00 + (value & 0x3FF)] {
                hash ^= half
                hash = hash &* 16_777_619
            }
        } else {
            hash ^= unit
            hash = hash &* 16_777_619
        }
        return hash
    }

    /// The common keys of one level, numbered in chunk order (the same on every run).
    private struct Common: Sendable {
        var table = GramTable()
        var texts: [String] = []
        var hashes: [UInt32] = []

        mutating func add(_ key: SearchIndex.MergedKey) {
            table.insert(key.key, id: Int32(texts.count))
            texts.append(key.text)
            hashes.append(key.hash)
        }
    }
}

/// Keys to ids: open addressing on a multiplicative hash.
struct GramTable: Sendable {
    private var slots = [Int32](repeating: -1, count: 1 << 10)
    private var keys: [UInt64] = []

    @inline(__always)
    private static func slot(of key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// Adds a key with the next id (ids count from 0 in the order keys are added).
    mutating func insert(_ key: UInt64, id: Int32) {
        precondition(Int(id) == keys.count, "ids are given in order")
        keys.append(key)
        if keys.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for (index, key) in keys.enumerated() { place(key, id: Int32(index)) }
        } else {
            place(key, id: id)
        }
    }

    private mutating func place(_ key: UInt64, id: Int32) {
        let mask = slots.count - 1
        var slot = Self.slot(of: key, mask: mask)
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    /// The key's id, or -1.
    @inline(__always)
    func find(_ key: UInt64) -> Int32 {
        let mask = slots.count - 1
        var slot = Self.slot(of: key, mask: mask)
        while true {
            let id = slots[slot]
            if id < 0 || keys[Int(id)] == key { return id }
            slot = (slot + 1) & mask
        }
    }
}
