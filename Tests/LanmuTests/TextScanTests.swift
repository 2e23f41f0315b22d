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
