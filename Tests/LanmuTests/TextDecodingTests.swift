import Testing

@testable import LanmuCore

@Suite struct TextDecodingTests {
    @Test func acceptsUTF8WithBOMAndCRLF() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: 标题\r\n---\r正文".utf8)
        let text = try TextDecoding.decode(bytes, file: "a.md").get()
        #expect(text == "---\ntitle: 标题\n---\n正文")
    }

    @Test func namesGBK() {
        // "标题" in GBK is B1 EA CC E2.
        let bytes: [UInt8] = Array("---\ntitle: ".utf8) + [0xB1, 0xEA, 0xCC, 0xE2] + Array("\n---\n".utf8)
        let result = TextDecoding.decode(bytes, file: "content/a.md")
        #expect(
            result.failure?.description == """
                content/a.md:2:8: 错误 E001: 文件不是 UTF-8 编码：看起来是 GBK（GB2312/GB18030）编码
                    提示: 请用编辑器把文件另存为“UTF-8”编码（记事本：另存为 → 编码选 UTF-8），再重新生成
                """)
    }

    @Test func namesUTF16ByItsBOM() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x2D, 0x00, 0x2D, 0x00]
        #expect(TextDecoding.decode(bytes, file: "a.md").failure?.message == "文件不是 UTF-8 编码：看起来是 UTF-16（Unicode）编码")
    }

    @Test func placesTheFirstInvalidByteInCharacters() {
        let bytes: [UInt8] = Array("第一行\n中文ab".utf8) + [0xFF] + Array("c".utf8)
        let diagnostic = TextDecoding.decode(bytes, file: "a.md").failure
        #expect(diagnostic?.location == .init(file: "a.md", line: 2, column: 5))
        #expect(diagnostic?.message == "文件不是 UTF-8 编码：含有不是 UTF-8 的字节")
    }

    @Test(arguments: [
        ([0xC0, 0x80] as [UInt8], 0), ([0xE0, 0x80, 0x80], 0), ([0xED, 0xA0, 0x80], 0), ([0x41, 0xF5, 0x80], 1),
        ([0x41, 0xE4, 0xB8], 1),
    ])
    func rejectsOverlongSurrogateAndTruncatedSequences(bytes: [UInt8], offset: Int) {
        #expect(TextDecoding.firstInvalidUTF8Offset(bytes[...]) == offset)
    }

    @Test func normalisesLoneCarriageReturns() {
        #expect(TextDecoding.normaliseLineEndings("a\rb\r\nc\n") == "a\nb\nc\n")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// The fast UTF-8 check gives the standard library's answer, on every sequence of up to two bytes, on three- and
/// four-byte sequences built from the bytes at the edges of table 3-7's ranges, behind ASCII runs of every length
/// the eight-byte skip can leave, and on random text; strings made from checked bytes are the bytes' strings.
@Suite struct UTF8TextTests {
    static func agrees(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { UTF8Text.isWellFormed($0) } == (String(validating: bytes, as: UTF8.self) != nil)
    }

    @Test func everySequenceOfUpToTwoBytes() {
        var disagreements: [[UInt8]] = []
        for first in 0...255 {
            if !Self.agrees([UInt8(first)]) { disagreements.append([UInt8(first)]) }
            for second in 0...255 where !Self.agrees([UInt8(first), UInt8(second)]) {
                disagreements.append([UInt8(first), UInt8(second)])
            }
        }
        #expect(disagreements.count == 0, "first: \(disagreements.prefix(5))")
    }

    @Test func longerSequencesAtTheEdgesOfEveryRange() {
        let edges: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xF4, 0xFF,
        ]
        var disagreements: [[UInt8]] = []
        for lead in 0x80...0xFF {
            for second in edges {
                for third in edges {
                    for tail in [[], [0x80], [0x41], [0x80, 0xBF]] as [[UInt8]] {
                        let sequence = [UInt8(lead), second, third] + tail
                        for padding in [0, 5, 9] {
                            let bytes = Array(repeating: 0x61, count: padding) + sequence
                            if !Self.agrees(bytes) { disagreements.append(bytes) }
                        }
                    }
                }
            }
        }
        #expect(disagreements.count == 0, "first: \(disagreements.prefix(5))")
    }

    @Test func randomText() {
        var generator = SeededGenerator(seed: 11)
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("abcdefgh".utf8), Array("中".utf8), Array("，".utf8), Array("é".utf8),
            Array("🇨🇳".utf8), Array("\u{FFFD}".utf8), Array("\u{D7FF}".utf8), Array("\u{E000}".utf8),
            Array("\u{10FFFF}".utf8), [0x80], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF],
        ]
        var checked = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...24, using: &generator) {
                if Int.random(in: 0..<40, using: &generator) == 0 {
                    bytes.append(UInt8.random(in: 0...255, using: &generator))
                } else {
                    bytes += pieces[Int.random(in: 0..<9, using: &generator)]
                    if Int.random(in: 0..<30, using: &generator) == 0 {
                        bytes += pieces.randomElement(using: &generator)!
                    }
                }
            }
            #expect(Self.agrees(bytes), "\(bytes)")
            if String(validating: bytes, as: UTF8.self) != nil {
                checked += 1
                let made = bytes.withUnsafeBufferPointer { UTF8Text.string(known: $0) }
                #expect(made == String(decoding: bytes, as: UTF8.self) && Array(made.utf8) == bytes)
            }
        }
        #expect(checked > 5_000)
    }
}
