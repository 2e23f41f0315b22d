/// Cuts a long template into short ones for swift-mustache's parser, which is quadratic in a template's length:
/// 2.1.1's `Parser.read(count:)` measures the rest of the text (`String.distance`) for every `{{` and `}}` (see
/// docs/architecture.md; 200 KB of tags took 8 s to parse, 5 MB over ten minutes). Runs of whole lines become
/// templates of their own, each put back as a `{{> …}}` alone on its line at column 0 — a standalone partial
/// without indentation, which renders exactly the text it replaces (`TemplateChunksTests` compares the two).
///
/// A run is cut only where nothing is open but blocks (`{{$…}}`) outside sections, so that the partial sees the
/// same context (a partial starts without the section's first/last/index), and holds no block or parent tag; inside
/// a parent (`{{<…}}`) only in a block whose first line is not indented (swift-mustache takes that line's
/// indentation off every later line of the definition, which a partial would not). A template that changes its
/// delimiters is not cut.
enum TemplateChunks {
    /// About how long a cut-off run is, in bytes: parsing costs that much per tag instead of the template's length.
    static let defaultBytes = 4096

    /// The names the runs are registered under: `(lanmu)/home/0`; no template file has a name starting so.
    static let namePrefix = "(lanmu)/"

    /// The template to parse in `text`'s place and the runs it includes, by name; nil when nothing is cut.
    static func split(_ text: String, name: String, chunkBytes: Int = defaultBytes) -> (
        main: String, parts: [(name: String, text: String)]
    )? {
        let bytes = Array(text.utf8)
        guard bytes.count / 2 > chunkBytes else { return nil }
        let cuts = cutPoints(bytes)
        guard !cuts.isEmpty else { return nil }
        // Greedy: a run closes at the first cut point of its container at least `chunkBytes` after its start, with
        // no block or parent tag between. Closing one restarts every open run (an outer run would now overlap it).
        var starts: [Int: CutPoint] = [:]
        var runs: [(Int, Int)] = []
        for cut in cuts {
            if let start = starts[cut.container], start.forbidden == cut.forbidden {
                if cut.offset - start.offset >= chunkBytes {
                    runs.append((start.offset, cut.offset))
                    starts.removeAll()
                    starts[cut.container] = cut
                }
            } else {
                starts[cut.container] = cut.allowed ? cut : nil
            }
        }
        guard !runs.isEmpty else { return nil }
        var main: [UInt8] = []
        var parts: [(name: String, text: String)] = []
        var position = 0
        for (start, end) in runs {
            main += bytes[position..<start]
            let partName = "\(namePrefix)\(name)/\(parts.count)"
            parts.append((partName, String(decoding: bytes[start..<end], as: UTF8.self)))
            main += Array("{{>\(partName)}}".utf8)
            if end < bytes.count || bytes[end - 1] == 0x0A { main.append(0x0A) }
            position = end
        }
        main += bytes[position...]
        return (String(decoding: main, as: UTF8.self), parts)
    }

    /// A line start outside every tag.
    struct CutPoint {
        var offset: Int
        /// The offset of the innermost open tag (-1 at the top): runs start and end in one container.
        var container: Int
        /// How many block and parent tags came before: a run holds none.
        var forbidden: Int
        /// Whether a run may start here.
        var allowed: Bool
    }

    /// Every line start outside tags (and the end of the text), with what is open there; empty when the template
    /// changes its delimiters or has a tag left open.
    static func cutPoints(_ bytes: [UInt8]) -> [CutPoint] {
        enum Kind { case section, block, parent }
        var open: [(kind: Kind, offset: Int, flush: Bool)] = []
        var cuts: [CutPoint] = []
        var forbidden = 0
        func note(_ offset: Int) {
            var allowed = open.last.map { $0.kind == .block } ?? true
            var inParent = false
            for entry in open {
                switch entry.kind {
                case .section: allowed = false
                case .parent: inParent = true
                case .block: if inParent, !entry.flush { allowed = false }
                }
            }
            cuts.append(
                CutPoint(offset: offset, container: open.last?.offset ?? -1, forbidden: forbidden, allowed: allowed))
        }
        note(0)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                index += 1
                note(index)
                continue
            }
            guard byte == 0x7B, index + 1 < bytes.count, bytes[index + 1] == 0x7B else {
                index += 1
                continue
            }
            let tagStart = index
            var cursor = index + 2
            var triple = false
            if cursor < bytes.count, bytes[cursor] == 0x7B {
                triple = true
                cursor += 1
            }
            var end = cursor
            while end + 1 < bytes.count, !(bytes[end] == 0x7D && bytes[end + 1] == 0x7D) { end += 1 }
            guard end + 1 < bytes.count else { return [] }
            var sigil = cursor
            while sigil < end, bytes[sigil] == 0x20 || bytes[sigil] == 0x09 { sigil += 1 }
            index = end + 2
            if triple, index < bytes.count, bytes[index] == 0x7D { index += 1 }
            guard !triple, sigil < end else { continue }
            switch bytes[sigil] {
            case 0x3D: return []  // `{{=`: delimiters change
            case 0x23, 0x5E: open.append((.section, tagStart, false))  // `#`, `^`
            case 0x24:  // `$`: flush when the block's first line starts unindented
                forbidden += 1
                var next = index
                while next < bytes.count, bytes[next] != 0x0A { next += 1 }
                let flush = next + 1 < bytes.count && bytes[next + 1] != 0x20 && bytes[next + 1] != 0x09
                open.append((.block, tagStart, flush))
            case 0x3C:  // `<`
                forbidden += 1
                open.append((.parent, tagStart, false))
            case 0x2F:  // `/`
                guard let last = open.popLast() else { return [] }
                if last.kind != .section { forbidden += 1 }
            default: break
            }
        }
        if bytes.last != 0x0A { note(bytes.count) }
        return open.isEmpty ? cuts : []
    }
}
