/// Turns a file's bytes into text the way editors' files arrive: UTF-8 with or without a BOM, CRLF or CR
/// line endings; anything else is a diagnostic that names the encoding the bytes look like.
enum TextDecoding {
    /// Decodes UTF-8 text, dropping a BOM and normalising line endings to `\n`.
    /// - Returns: the text, or a diagnostic at the first byte that is not UTF-8.
    static func decode(_ bytes: [UInt8], file: String) -> Result<String, Diagnostic> {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return .failure(utf16Diagnostic(file: file))
        }
        if let office = officeDocument(bytes) {
            return .failure(
                Diagnostic(
                    .notUTF8, at: .init(file: file), "这是一个\(office)文件，不是 Markdown 文本",
                    hint: "在 Word 里复制正文，粘贴到一个新的 .md 文本文件里，再写上 front matter"))
        }
        var body = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { body = bytes[3...] }
        if TextScan.contains(0, in: body), let nul = body.firstIndex(of: 0) {
            let (line, column) = position(of: nul - body.startIndex, in: body)
            return .failure(
                Diagnostic(
                    .notUTF8, at: .init(file: file, line: line, column: column), "文件里有空字符（NUL），它不是正常的文本文件，或者已经损坏",
                    hint: "用编辑器打开文件，删除这一处的不可见字符后另存为 UTF-8 文本"))
        }
        // One fast check; the byte-by-byte scan only runs to place an error.
        let text = body.withUnsafeBufferPointer { UTF8Text.isWellFormed($0) ? UTF8Text.string(known: $0) : nil }
        if let text { return .success(normaliseLineEndings(text)) }
        if let offset = firstInvalidUTF8Offset(body) {
            if looksLikeUTF16WithoutBOM(body) { return .failure(utf16Diagnostic(file: file)) }
            let (line, column) = position(of: offset, in: body)
            // Valid UTF-8 Chinese before the first bad byte means a damaged UTF-8 file, not a GBK one.
            let prefixIsASCII = body.prefix(offset).allSatisfy { $0 < 0x80 }
            let encoding =
                prefixIsASCII && looksLikeGBK(body) ? "看起来是 GBK（GB2312/GB18030）编码" : "含有不是 UTF-8 的字节"
            return .failure(
                Diagnostic(
                    .notUTF8, at: .init(file: file, line: line, column: column),
                    "文件不是 UTF-8 编码：\(encoding)",
                    hint: "请用编辑器把文件另存为“UTF-8”编码（记事本：另存为 → 编码选 UTF-8），再重新生成"))
        }
        return .success(normaliseLineEndings(String(decoding: body, as: UTF8.self)))
    }

    /// Office files saved under a `.md` name: ZIP containers (.docx, .xlsx) and the older OLE files (.doc, .xls).
    private static func officeDocument(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return " Word（.docx）或其他压缩格式的" }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return " Word（.doc）或 Excel（.xls）" }
        return nil
    }

    private static func utf16Diagnostic(file: String) -> Diagnostic {
        Diagnostic(
            .notUTF8, at: .init(file: file), "文件不是 UTF-8 编码：看起来是 UTF-16（Unicode）编码",
            hint: "请用编辑器把文件另存为“UTF-8”编码（记事本：另存为 → 编码选 UTF-8），再重新生成")
    }

    /// `\r\n` and lone `\r` become `\n`.
    static func normaliseLineEndings(_ text: String) -> String {
        guard TextScan.contains(13, in: text) else { return text }
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == 13 {
                bytes.append(10)
                previousWasCR = true
                continue
            }
            if byte == 10 && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            bytes.append(byte)
        }
        // Line feeds in place of carriage returns: still the well-formed UTF-8 it was.
        return bytes.withUnsafeBufferPointer { UTF8Text.string(known: $0) }
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index - bytes.startIndex
            }
            if index + length > bytes.endIndex { return index - bytes.startIndex }
            for k in 1..<length where bytes[index + k] & 0xC0 != 0x80 { return index - bytes.startIndex }
            if length == 3 {
                let second = bytes[index + 1]
                if (lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) {
                    return index - bytes.startIndex
                }
            } else if length == 4 {
                let second = bytes[index + 1]
                if (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F) {
                    return index - bytes.startIndex
                }
            }
            index += length
        }
        return nil
    }

    /// Line and column (in characters) of a byte offset, counting only the valid text before it.
    private static func position(of offset: Int, in bytes: ArraySlice<UInt8>) -> (Int, Int) {
        let before = bytes.prefix(offset)
        let lineStart = before.lastIndex(of: 10).map { $0 + 1 } ?? before.startIndex
        let line = before.reduce(1) { $1 == 10 ? $0 + 1 : $0 }
        let column = String(decoding: bytes[lineStart..<(bytes.startIndex + offset)], as: UTF8.self).count + 1
        return (line, column)
    }

    /// Whether every non-ASCII byte pairs up as a GBK/GB18030 double-byte character.
    static func looksLikeGBK(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        var pairs = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            guard (0x81...0xFE).contains(byte), index + 1 < bytes.endIndex else { return false }
            let trail = bytes[index + 1]
            guard (0x40...0xFE).contains(trail), trail != 0x7F else { return false }
            pairs += 1
            index += 2
        }
        return pairs > 0
    }

    /// UTF-16 without a BOM: mostly ASCII text with a NUL in every other byte.
    private static func looksLikeUTF16WithoutBOM(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 4 else { return false }
        let nuls = bytes.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
        return nuls * 4 >= bytes.count
    }
}
