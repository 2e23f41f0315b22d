/// A 64-bit hash that is the same in every process (Swift's `Hasher` is seeded per process): what `lanmu build`
/// keeps between runs to know that a page's inputs did not change (`SiteRenderer.pageDigest`). Not a defence
/// against crafted collisions; inputs are the site's own files.
struct StableHasher {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    init() {}

    init(seed: UInt64) { combine(seed) }

    mutating func combine(_ value: UInt64) {
        state = (state ^ value) &* 0x100_0000_01b3
        state ^= state >> 29
    }

    mutating func combine(_ value: Int) { combine(UInt64(bitPattern: Int64(value))) }

    mutating func combine(_ value: Bool) { combine(UInt64(value ? 1 : 2)) }

    /// The text's length and UTF-8 bytes, eight at a time.
    mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            combine(UInt64(bytes.count))
            let raw = UnsafeRawBufferPointer(bytes)
            var offset = 0
            while offset + 8 <= raw.count {
                combine(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            var last: UInt64 = 0
            var shift: UInt64 = 0
            while offset < raw.count {
                last |= UInt64(raw[offset]) << shift
                shift += 8
                offset += 1
            }
            combine(last)
        }
    }

    /// A text or none (none differs from every text, the empty one included).
    mutating func combine(_ text: String?) {
        if let text {
            combine(true)
            combine(text)
        } else {
            combine(false)
        }
    }

    func finalize() -> UInt64 {
        var hash = state ^ (state >> 32)
        hash = hash &* 0x9e37_79b9_7f4a_7c15
        return hash ^ (hash >> 29)
    }
}
