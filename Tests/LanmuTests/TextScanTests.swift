import Foundation
import Testing

@testable import LanmuCore

/// The fast scans give what the slow, obvious code gives.
@Suite struct TextScanTests {
    static let samples = [
        "", " ", "\t", "  \t ", "中文", "  中文  ", "\u{3000}全角空格\u{3000}", "\u{00A0}不换行\u{00A0}", "\n换行\n",
        " \u{301}组合 ", "a\\*b", "\\\\*", "\\", "*", "&<>\"'", "\r\n", "x\r", "🇨🇳 \u{2003}", "\u{200B}零宽\u{200B}",
    ]

    /// Strings of the characters that matter to the scans, from a fixed seed.
    static func generated() -> [String] {
        var generator = SeededGenerator(seed: 7)
        let alphabet: [Character] = [
            " ", "\t", "\n", "\r", "\\", "*", "&", "<", "%", "a", "中", "\u{3000}", "\u{00A0}", "\u{301}", "🇨🇳",
        ]
        return (0..<2000).map { _ in
            String(
                (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
    }

    /// The byte search finds what Foundation's `range(of:)` finds, at the same place, for ASCII patterns in text
    /// without combining marks (libcmark's output, where a `"` never carries one).
    @Test func firstRangeIsFoundations() {
        var generator = SeededGenerator(seed: 11)
        let pieces = ["<img src=\"", "<img", " src=\"", "\"", "中", "a", "&amp;", "://", ":/", "🇨🇳", "<", "/", "文件.png"]
        let texts = (0..<3000).map { _ in
            (0..<Int.random(in: 0...10, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                .joined()
        }
        for text in texts {
            for pattern in ["<img src=\"", "://", "\""] {
                let expected = text.range(of: pattern)
                let found = TextScan.firstRange(of: Array(pattern.utf8), in: text)
                #expect(found == expected, "\(text.debugDescription) \(pattern)")
            }
        }
    }

    /// The page's first picture and the site's domain, read by byte, are what the Foundation twin reads.
    @Test func firstImageAndDomainAreTheFoundationTwins() {
        func plainImage(_ html: String) -> String? {
            guard let tag = html.range(of: "<img src=\"") else { return nil }
            let rest = html[tag.upperBound...]
            guard let end = rest.firstIndex(of: "\""), end > rest.startIndex else { return nil }
            return String(rest[..<end]).replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }
        func plainDomain(_ url: String) -> String? {
            guard let scheme = url.range(of: "://") else { return nil }
            let host = url[scheme.upperBound...].prefix { $0 != "/" }
            return host.isEmpty ? nil : String(host)
        }
        var generator = SeededGenerator(seed: 12)
        let pieces = ["<p>", "<img src=\"", "\"", "图片", "/a/", "&amp;", "&quot;", "x.png", " alt=\"\" />", "://", "🇨🇳"]
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...9, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }
            .joined()
            #expect(PageMetadata.firstImage(in: text) == plainImage(text), "\(text.debugDescription)")
            #expect(PageMetadata.domain(of: text) == plainDomain(text), "\(text.debugDescription)")
        }
        #expect(PageMetadata.firstImage(in: "<p><img src=\"/图/a&amp;b.png\" alt=\"\" /></p>") == "/图/a&b.png")
        #expect(PageMetadata.domain(of: "https://www.example.gov.cn/xinwen/") == "www.example.gov.cn")
    }

    @Test func trimmingIsFoundations() {
        for text in Self.samples + Self.generated() {
            let expected = text.trimmingCharacters(in: .whitespaces)
            #expect(
                TextScan.trimmingHorizontalSpace(text).unicodeScalars.elementsEqual(expected.unicodeScalars),
                "\(text.debugDescription)")
        }
    }

    @Test func horizontalSpaceIsFoundationsWhitespaceSet() {
        let whitespaces = CharacterSet.whitespaces
        let differing = (UInt32(0)..<0x11_0000).filter { value in
            guard let scalar = Unicode.Scalar(value) else { return false }
            return TextScan.isHorizontalSpace(scalar) != whitespaces.contains(scalar)
        }
        #expect(differing.isEmpty, "\(differing.map { String($0, radix: 16) })")
    }

    /// Every scalar the fast paths call simple is one character beside any other simple scalar, has no
    /// decomposition and does not reorder.
    @Test func simpleScalarsNeverJoinAndAreNFC() {
        let ranges: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x09...0x0A, 0x2010...0x2027, 0x3000...0x3029, 0x3030...0x303F, 0x4E00...0x9FFF,
            0xFF01...0xFF5E,
        ]
        let scalars = ranges.flatMap { $0.compactMap(Unicode.Scalar.init) }
        let neighbours = ["a", " ", "\n", "\t", "中", "。", "“", "－", "〇", "—"].map { Character($0) }
        var joined: [String] = []
        for scalar in scalars {
            let character = Character(scalar)
            for neighbour in neighbours where String([character, neighbour]).count != 2 {
                joined.append(String(scalar.value, radix: 16))
            }
            if TextScan.simpleCharacterCount(String(character)) != 1 {
                joined.append("count " + String(scalar.value, radix: 16))
            }
        }
        #expect(joined.isEmpty, "\(joined.prefix(20))")
        let unstable = scalars.filter { scalar in
            scalar.value >= 0x3000 && scalar.value != 0x3000 && TextScan.isTriviallyPrecomposed(String(scalar))
                && (String(scalar).precomposedStringWithCanonicalMapping.unicodeScalars.first != scalar
                    || scalar.properties.canonicalCombiningClass != .notReordered)
        }
        #expect(unstable.isEmpty)
    }

    @Test func fastCountsPrefixesAndNormalFormsAreTheSlowOnes() {
        var generator = SeededGenerator(seed: 11)
        let alphabet: [Character] = [
            "a", "Z", " ", "\n", "\t", "\r\n", "中", "文", "。", "，", "“", "”", "—", "…", "\u{3000}", "Ａ", "e\u{301}",
            "\u{302A}",
            "가", "\u{F900}", "🇨🇳", "é", "\u{FF9E}",
        ]
        for _ in 0..<3000 {
            let text = String(
                (0..<Int.random(in: 0...30, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            if let count = TextScan.simpleCharacterCount(text) {
                #expect(count == text.count, "\(text.debugDescription)")
            }
            for limit in [0, 1, 5, 29] {
                #expect(TextScan.prefix(text, characters: limit) == String(text.prefix(limit)))
            }
            #expect(
                text.precomposedForComparison.unicodeScalars.elementsEqual(
                    text.precomposedStringWithCanonicalMapping.lowercased().unicodeScalars), "\(text.debugDescription)")
        }
    }

    @Test func summariesCutByScalarAsByCharacter() {
        var generator = SeededGenerator(seed: 5)
        let alphabet: [Character] = [
            "字", "文", "。", "！", "？", "!", "?", "a", " ", "，", "e\u{301}", "🇨🇳", "\u{3000}", "\n", "\u{600}",
        ]
        for _ in 0..<3000 {
            let text = String(
                (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            for limit in [0, 3, 12, 30] {
                #expect(
                    Summary.cut(text, limit: limit) == Summary.cutByCharacter(text.trimmingSpaces, limit: limit),
                    "\(text.debugDescription) \(limit)")
            }
        }
    }

    @Test func pathSegmentsAreSplitsAtSlashes() {
        var generator = SeededGenerator(seed: 9)
        let pieces = ["a", "/", "//", "中", "\u{301}", "b.md", "_index.md", " ", "\u{600}"]
        for _ in 0..<2000 {
            let path = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }
            .joined()
            #expect(
                TextScan.pathSegments(path) == path.split(separator: "/").map(String.init), "\(path.debugDescription)")
        }
    }

    @Test func byteScansAreTheObviousOnes() {
        for text in Self.samples + Self.generated() {
            let bytes = Array(text.utf8)
            for byte: UInt8 in [13, 42, 92, 37, 0x26] {
                #expect(TextScan.contains(byte, in: text) == bytes.contains(byte))
            }
            #expect(TextScan.containsAny(of: [0x26, 0x2A], in: text) == bytes.contains { $0 == 0x26 || $0 == 0x2A })
            let pair = zip(bytes, bytes.dropFirst()).contains { $0 == 92 && $1 == 42 }
            #expect(TextScan.containsPair(92, 42, in: text) == pair, "\(text.debugDescription)")
        }
    }

    /// Escaping byte by byte replaces what escaping scalar by scalar replaces: a quote before a combining mark too.
    @Test func escapingByByteIsEscapingByScalar() {
        func reference(_ text: String, apostrophe: String) -> String {
            var result = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": result.append(contentsOf: "&amp;".unicodeScalars)
                case "<": result.append(contentsOf: "&lt;".unicodeScalars)
                case ">": result.append(contentsOf: "&gt;".unicodeScalars)
                case "\"": result.append(contentsOf: "&quot;".unicodeScalars)
                case "'": result.append(contentsOf: apostrophe.unicodeScalars)
                default: result.append(scalar)
                }
            }
            return String(result)
        }
        let extra = ["\"\u{301}", "'\u{301}<>&", "“引号”<b>&amp;</b>", "a'b\"c", "🇨🇳&🇨🇳"]
        for text in Self.samples + Self.generated() + extra {
            #expect(MarkupEscaping.html(text) == reference(text, apostrophe: "&#39;"), "\(text.debugDescription)")
            #expect(MarkupEscaping.xml(text) == reference(text, apostrophe: "&apos;"), "\(text.debugDescription)")
        }
        #expect(MarkupEscaping.html("\"\u{301}") == "&quot;\u{301}")
    }

    @Test func segmentsArePercentEncodedOutsideTheUnreservedSet() {
        #expect(URLPath.encode("a-b_c.d~Z9") == "a-b_c.d~Z9")
        #expect(URLPath.encode("市县动态") == "%E5%B8%82%E5%8E%BF%E5%8A%A8%E6%80%81")
        #expect(URLPath.encode("a b/c?d%") == "a%20b%2Fc%3Fd%25")
        #expect(URLPath.directory(["sanfuwu", "市县"]) == "/sanfuwu/%E5%B8%82%E5%8E%BF/")
        for byte in UInt8(0)...UInt8(127) {
            let text = String(UnicodeScalar(byte))
            let unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".contains(text)
            #expect((URLPath.encode(text) == text) == unreserved, "\(byte)")
        }
    }

    /// The byte check that passes plain ASCII names gives the answer of the checks scalar by scalar.
    @Test func plainASCIINamesHaveNoProblem() {
        var generator = SeededGenerator(seed: 44)
        let alphabet: [String] = [".", "a", "C", "O", "N", "1", "-", " ", "/", "%", "#", "\t", "\u{301}", "中", "LPT"]
        let samples =
            ["CON", "con.txt", "com1", "a.", "a ", " a", ".", "..", "", "2020-04-30-jiaoliu", "aux.b.c", "conx"]
            + (0..<5000).map { _ in
                (0..<Int.random(in: 0...7, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
                    .joined()
            }
        for segment in samples {
            #expect(
                URLPath.problem(with: segment) == URLPath.problemByScalar(with: segment), "\(segment.debugDescription)")
        }
    }

    /// The stem the Windows reserved-name check looks at is what `split(separator: ".", maxSplits: 1)` gives.
    @Test func stemIsTheFirstRunBetweenDots() {
        var generator = SeededGenerator(seed: 43)
        let alphabet: [String] = [".", "a", "C", "O", "N", "1", "\u{301}", "中", " "]
        let samples =
            ["CON", "con.txt", ".con", "..a.b", "...", "", "a..b", "con.\u{301}txt"]
            + (0..<3000).map { _ in
                (0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
                    .joined()
            }
        for segment in samples {
            let expected = segment.split(separator: ".", maxSplits: 1).first.map { $0.uppercased() } ?? ""
            #expect(URLPath.stem(of: segment) == expected, "\(segment.debugDescription)")
        }
    }
}

/// SplitMix64: the same sequence for the same seed, on every machine.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

extension SeededGenerator {
    /// A string of scalars drawn from the alphabet, its length drawn from the range.
    mutating func text(from alphabet: [Unicode.Scalar], length: ClosedRange<Int>) -> String {
        var text = ""
        for _ in 0..<Int.random(in: length, using: &self) {
            text.unicodeScalars.append(alphabet.randomElement(using: &self)!)
        }
        return text
    }
}

/// Heading ids built with shortcuts for ASCII and CJK ideographs equal the first, property-by-property version.
@Suite struct HeadingIDEquivalenceTests {
    static func reference(_ text: String) -> String {
        var id = String.UnicodeScalarView()
        var pendingHyphen = false
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil || scalar == "_" {
                if pendingHyphen, !id.isEmpty { id.append("-") }
                pendingHyphen = false
                id.append(
                    contentsOf: scalar.isASCII
                        ? String(scalar).lowercased().unicodeScalars : String(scalar).unicodeScalars)
            } else if properties.isWhitespace || scalar == "-" {
                pendingHyphen = true
            }
        }
        return id.isEmpty ? "section" : String(id)
    }

    @Test func everyScalarOfTheFirstPlanesAndRandomHeadings() {
        var samples = (0..<0x3_0000).compactMap(Unicode.Scalar.init).map { "a \($0)b" }
        var generator = SeededGenerator(seed: 47)
        let alphabet: [String] = [
            "第", "一", "站", "：", " ", "-", "_", "A", "z", "9", "é", "\u{301}", "（", "\t", "〇", "、",
        ]
        samples += (0..<2000).map { _ in
            (0..<Int.random(in: 0...10, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
                .joined()
        }
        for text in samples where HeadingIDs.base(for: text) != Self.reference(text) {
            Issue.record("\(text.debugDescription): \(HeadingIDs.base(for: text)) ≠ \(Self.reference(text))")
        }
    }
}

/// Link destinations searched by byte when they are ASCII are classified as the character-by-character version did.
@Suite struct LinkTargetEquivalenceTests {
    static func reference(_ url: String, directory: [String]) -> LinkTarget {
        if url.isEmpty || url.hasPrefix("//") { return .external }
        if url.hasPrefix("#") { return .anchor(RequestDecoding.percentDecoded(String(url.dropFirst()))) }
        if let colon = url.firstIndex(of: ":"),
            url[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }),
            url.first?.isLetter == true
        {
            return .external
        }
        if url.hasPrefix("?") { return .external }
        let suffixStart = url.firstIndex { $0 == "?" || $0 == "#" } ?? url.endIndex
        let rawPath = RequestDecoding.percentDecoded(String(url[..<suffixStart]))
        let suffix = String(url[suffixStart...])
        let rooted = rawPath.hasPrefix("/")
        let relative = LinkTarget.normalise(rawPath, from: rooted ? [] : directory)
        if rawPath.hasSuffix(".md") {
            let anchor = suffix.hasPrefix("#") ? RequestDecoding.percentDecoded(String(suffix.dropFirst())) : nil
            var candidates = [relative]
            if !rooted { candidates.append(LinkTarget.normalise(rawPath, from: [])) }
            return .article(
                candidates: candidates.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }, anchor: anchor)
        }
        if rooted { return .external }
        return .file(path: relative, suffix: suffix)
    }

    @Test func generatedDestinations() {
        var generator = SeededGenerator(seed: 53)
        let pieces = [
            "a", "b.md", "/", "../", "./", "?", "#", ":", "http", "x+y", "中", "%E4%B8%AD", "\u{301}", "\r\n", " ", "1",
            ".md", "mailto:", "//", "页.md",
        ]
        let samples =
            ["", "#a", "?q", "http://x", "a.md#b", "../a.md?x#y", "a?\u{301}b", "#\u{301}", "中.md"]
            + (0..<4000).map { _ in
                (0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                    .joined()
            }
        for url in samples {
            let directory = ["sanfuwu", "shixian"]
            #expect(
                LinkTarget.classify(url, directory: directory) == Self.reference(url, directory: directory),
                "\(url.debugDescription)")
        }
    }
}
