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
