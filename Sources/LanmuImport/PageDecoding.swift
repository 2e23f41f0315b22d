import Foundation
import LanmuCore

#if canImport(Glibc)
    import Glibc
#endif

/// Turns a saved page's bytes into text: by its byte order mark, else by the charset its `<meta>` declares (found as
/// browsers find it, in the first bytes), GBK, GB2312 and GB18030 all read as GB18030, their superset. A page whose
/// bytes do not fit the declared charset, or that declares none, is read as whichever of UTF-8 and GB18030 fits, and
/// the page's report says so.
enum PageDecoding {
    struct Decoded: Equatable {
        var text: String
        /// The charset used: `UTF-8` or `GB18030`.
        var charset: String
        /// What was wrong with the declaration, in Chinese; nil when the page declared what it is.
        var problem: String?
    }

    /// The page as text, or nil when its bytes are neither UTF-8 nor GB18030.
    static func decode(_ bytes: [UInt8]) -> Decoded? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return utf8(Array(bytes.dropFirst(3))).map { Decoded(text: $0, charset: "UTF-8") }
        }
        let declared = declaredCharset(bytes)
        let isChinese = declared.map { ["gbk", "gb2312", "gb18030", "x-gbk", "cp936", "euc-cn"].contains($0) } ?? false
        if isChinese {
            // Chinese text in UTF-8 is nearly always valid GB18030 too (as nonsense), but GBK text is almost never
            // valid UTF-8: valid UTF-8 with anything beyond ASCII means the declaration is wrong.
            if bytes.contains(where: { $0 >= 0x80 }), let text = utf8(bytes) {
                return Decoded(text: text, charset: "UTF-8", problem: "声明的编码是 \(declared!)，实际是 UTF-8")
            }
            return gb18030(bytes).map { Decoded(text: $0, charset: "GB18030") }
        }
        if let text = utf8(bytes) {
            return Decoded(text: text, charset: "UTF-8", problem: declared == nil ? "没有声明编码，按 UTF-8 读取" : nil)
        }
        if let text = gb18030(bytes) {
            let why = declared.map { "声明的编码是 \($0)，实际是 GBK/GB18030" } ?? "没有声明编码，按 GBK/GB18030 读取"
            return Decoded(text: text, charset: "GB18030", problem: why)
        }
        return nil
    }

    /// The charset a page declares in its first 4 KB (`<meta charset=…>` or `content="text/html; charset=…"`), lower
    /// case; the prescan of HTML's encoding sniffing, simplified to the word `charset=`.
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let head = bytes.prefix(4096).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        let word = Array("charset".utf8)
        var index = 0
        while index + word.count < head.count {
            guard head[index..<index + word.count].elementsEqual(word) else {
                index += 1
                continue
            }
            var cursor = index + word.count
            while cursor < head.count, head[cursor] == 0x20 { cursor += 1 }
            guard cursor < head.count, head[cursor] == 0x3D else {
                index += 1
                continue
            }
            cursor += 1
            while cursor < head.count, head[cursor] == 0x20 || head[cursor] == 0x22 || head[cursor] == 0x27 {
                cursor += 1
            }
            let start = cursor
            while cursor < head.count,
                head[cursor] == 0x2D || head[cursor] == 0x5F || (head[cursor] >= 0x30 && head[cursor] <= 0x39)
                    || (head[cursor] >= 0x61 && head[cursor] <= 0x7A)
            {
                cursor += 1
            }
            if cursor > start { return String(decoding: head[start..<cursor], as: UTF8.self) }
            index = cursor
        }
        return nil
    }

    /// The bytes as UTF-8, or nil when they are not valid UTF-8.
    static func utf8(_ bytes: [UInt8]) -> String? { String(validating: bytes, as: UTF8.self) }

    /// The bytes as GB18030 through glibc's iconv, or nil when they are not valid GB18030.
    static func gb18030(_ bytes: [UInt8]) -> String? {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                var outLeft = outBuffer.count
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                guard result != -1, inLeft == 0 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(validating: output.prefix(written).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
