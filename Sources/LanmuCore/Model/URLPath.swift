/// URL paths and output file paths made from content segments (folder names and slugs, often Chinese).
enum URLPath {
    /// `/a/b/` with every segment percent-encoded as UTF-8.
    static func directory(_ segments: [String]) -> String {
        var path = "/"
        for segment in segments {
            path += encode(segment)
            path += "/"
        }
        return path
    }

    /// The output file of a page: `a/b/index.html` (raw segments: file names on disk stay Chinese).
    static func indexFile(_ segments: [String]) -> String {
        var path = ""
        for segment in segments {
            path += segment
            path += "/"
        }
        return path + "index.html"
    }

    /// Whether a byte is in RFC 3986's unreserved set (letters, digits, `-._~`).
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: true
        default: false
        }
    }

    /// Percent-encodes every byte outside RFC 3986's unreserved set.
    static func encode(_ segment: String) -> String {
        var copy = segment
        if copy.withUTF8({ $0.allSatisfy(isUnreserved) }) { return segment }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(segment.utf8.count * 3)
        for byte in segment.utf8 {
            if isUnreserved(byte) {
                bytes.append(byte)
            } else {
                bytes.append(37)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 15)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An encoded path (`/a/b/`) joined to the site's base URL, when there is one.
    static func absolute(_ path: String, baseURL: String?) -> String {
        guard let baseURL else { return path }
        return baseURL + path
    }

    private static let windowsReservedNames = Set(
        ["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })

    /// Characters that cannot be in a URL segment or a file name on every system.
    private static let forbiddenASCII: [UInt8] = Array("/\\<>:\"|?*#%".utf8)

    /// The longest file name (so folder name or slug) Linux, macOS and Windows file systems take, in UTF-8 bytes.
    static let maximumBytes = 255

    /// Why a folder name or slug cannot be a URL segment and a file name on every system, or nil when it can.
    static func problem(with segment: String) -> String? {
        isPlainASCII(segment) ? nil : problemByScalar(with: segment)
    }

    /// `problem(with:)` for any segment, scalar by scalar.
    static func problemByScalar(with segment: String) -> String? {
        if segment.isEmpty { return "它是空的" }
        if segment == "." || segment == ".." { return "“\(segment)”表示目录本身或上一级目录" }
        // Scalars, not characters: a combining mark after `/` makes one character of the two (found by the fuzzer).
        if let bad = segment.unicodeScalars.first(where: {
            $0.value < 32 || ($0.isASCII && forbiddenASCII.contains(UInt8($0.value)))
        }) {
            return "含有不能用在网址或文件名里的字符“\(Diagnostic.printable(String(bad)))”"
        }
        if let hidden = segment.unicodeScalars.first(where: Diagnostic.isInvisible) {
            return "含有看不见的控制字符 \(Diagnostic.escaped(hidden))（\(Diagnostic.invisibleName(hidden))），"
                + "它会让网址或文件名显示得和实际不同"
        }
        if segment.utf8.count > maximumBytes {
            return "太长：\(segment.utf8.count) 字节，文件名最多 \(maximumBytes) 字节（约 85 个汉字）"
        }
        if segment.hasSuffix(".") || segment.hasSuffix(" ") { return "以点或空格结尾（Windows 上无法保存）" }
        if segment.hasPrefix(" ") { return "以空格开头" }
        // Found by the slug fuzzer: a leading combining mark joins the `/` before it into one character.
        switch segment.unicodeScalars.first?.properties.generalCategory {
        case .nonspacingMark?, .spacingMark?, .enclosingMark?: return "以组合用字符（附加符号）开头"
        default: break
        }
        if windowsReservedNames.contains(stem(of: segment)) { return "“\(segment)”是 Windows 保留的名称" }
        return nil
    }

    /// Whether a segment is ASCII that none of `problem(with:)`'s checks can object to, as nearly every slug and
    /// folder name is: checked by byte. A stem of three or four letters is left to the checks (a reserved name?).
    private static func isPlainASCII(_ segment: String) -> Bool {
        var segment = segment
        return segment.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x2E, last != 0x20,
                bytes.count <= maximumBytes
            else {
                return false
            }
            for byte in bytes {
                switch byte {
                case 0..<0x20, 0x80...: return false
                case 0x2F, 0x5C, 0x3C, 0x3E, 0x3A, 0x22, 0x7C, 0x3F, 0x2A, 0x23, 0x25: return false  // forbiddenASCII
                default: continue
                }
            }
            let stemStart = bytes.firstIndex { $0 != 0x2E } ?? bytes.count
            let stemEnd = bytes[stemStart...].firstIndex(of: 0x2E) ?? bytes.count
            return stemEnd - stemStart != 3 && stemEnd - stemStart != 4
        }
    }

    /// The first run of characters between dots, upper-cased, as `split(separator: ".", maxSplits: 1).first` finds
    /// it (a `.` followed by a combining mark is not a dot there); ASCII is cut by byte.
    static func stem(of segment: String) -> String {
        guard segment.utf8.allSatisfy({ $0 < 0x80 }) else {
            return segment.split(separator: ".", maxSplits: 1).first.map { $0.uppercased() } ?? ""
        }
        let run = segment.utf8.drop { $0 == 0x2E }.prefix { $0 != 0x2E }
        return String(Substring(run)).uppercased()
    }
}
