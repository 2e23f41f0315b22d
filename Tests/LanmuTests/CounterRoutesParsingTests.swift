import Foundation
import Testing

@testable import LanmuCounter

/// The fast paths of `CounterRoutes+Parsing` against their plain twins, over hand-picked and generated inputs.
@Suite struct CounterRoutesParsingTests {
    /// Ids and near-ids that sit on the edges of both paths.
    static let chosen: [String] = [
        "a", "sanfuwu/shixian/2025-03-05-hexi", "A-Z_0~9", "...", "a/.../b", ".a", "a.", "a..b", "..a/b", "a/b.",
        ".", "..", "./a", "a/.", "a/..", "../a", "a//b", "/a", "a/", "/", "//", "", "%2E%2E", "a/%2E", "a/.%2E",
        "%2E/a", "%2F", "a%2Fb", "a%2F..%2Fb", "%41", "%e9%80%9a%e7%9f%a5", "%E9%80%9A%E7%9F%A5/%E5%85%AC%E5%91%8A",
        "%", "%4", "%ZZ", "%00", "a%0Ab", "%20", "a b", "a+b", "a;b", "a'b", "a\"b", "a<b", "%3C", "a\\b", "a,b",
        "通知", "a/通知", "é", "e\u{301}", "a\u{0}b", "a\tb", "%C3%A9", "%C3", "%FF", "a//%ZZ", "..//%41",
        // A combining mark after `/` (one Character with it) must not hide the separator.
        "a/../%CC%81", "%CC%81", "/%CC%81a", "a/%CC%81/..", "a/\u{301}", "..\u{301}",
        String(repeating: "a", count: 512), String(repeating: "a", count: 513),
        String(repeating: "a/", count: 255) + "ab", String(repeating: "%41", count: 171),
    ]

    /// Random strings over an alphabet that mixes what the fast path takes, what it hands on and what is malformed.
    static func generated(count: Int) -> [String] {
        let pieces = [
            "a", "Z", "0", "9", "-", "_", "~", ".", ".", "/", "/", "%", "%2E", "%2F", "%41", "%00", "%E9%80%9A", "%ZZ",
            "通", "é", "\u{301}", " ", "'", "\"", "<", "\\", ",", "\u{0}", "+", "?",
        ]
        var generator = SeededGenerator(seed: 22)
        return (0..<count).map { _ in
            let length = Int(generator.next() % 12)
            return (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
        }
    }

    @Test func theFastIDPathAgreesWithThePlainOne() {
        for text in Self.chosen + Self.generated(count: 20_000) {
            let encoded = Substring(text)
            #expect(
                CounterRoutes.id(fromEncoded: encoded) == CounterRoutes.plainID(fromEncoded: encoded),
                "\(text.debugDescription)")
        }
    }

    @Test func theFastIDPathTakesTheUsualIDsAndOnlyThem() {
        #expect(
            CounterRoutes.asciiID(fromEncoded: "sanfuwu/shixian/2025-03-05-hexi")
                == .id("sanfuwu/shixian/2025-03-05-hexi"))
        #expect(CounterRoutes.asciiID(fromEncoded: "a/../b") == .malformed)
        #expect(CounterRoutes.asciiID(fromEncoded: "a//%ZZ") == .malformed)
        #expect(CounterRoutes.asciiID(fromEncoded: "%E9%80%9A") == .needsDecoding)
        #expect(CounterRoutes.asciiID(fromEncoded: "%2E%2E") == .needsDecoding)
        #expect(CounterRoutes.asciiID(fromEncoded: "a b") == .needsDecoding)
    }

    @Test func piecesAreCutAtEveryByteOfTheSeparator() {
        for text in Self.chosen + Self.generated(count: 5_000) + ["", ",", ",,", "a,", ",a", "a,\u{301}b", "&ids=a&"] {
            for separator in [",", "&", "/"] {
                let pieces = CounterRoutes.pieces(of: text[...], separatedBy: UInt8(ascii: Unicode.Scalar(separator)!))
                // The plain twin: split by Unicode scalars, which no combining mark joins to the separator.
                let scalars = text.unicodeScalars.split(
                    separator: Unicode.Scalar(separator)!, omittingEmptySubsequences: false)
                #expect(
                    pieces.map(String.init) == scalars.map { String(String.UnicodeScalarView($0)) },
                    "\(text.debugDescription)")
            }
        }
    }

    @Test func theFastJSONStringAgreesWithThePlainOne() {
        let decoded = (Self.chosen + Self.generated(count: 5_000)).map { $0.removingPercentEncoding ?? $0 }
        for text in Self.chosen + decoded + ["\u{1F}", "\u{7F}", "a\u{2028}b", "\u{1F600}"] {
            #expect(CounterRoutes.jsonString(text) == CounterRoutes.plainJSONString(text), "\(text.debugDescription)")
            #expect(
                (try? JSONSerialization.jsonObject(
                    with: Data(CounterRoutes.jsonString(text).utf8), options: .fragmentsAllowed))
                    as? String == text, "\(text.debugDescription)")
        }
    }
}
