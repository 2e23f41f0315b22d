import Mustache

/// Escaping for HTML and XML by Unicode scalar. Browsers and XML parsers read code points, so `"` followed by a
/// combining mark is still a quote to them; escaping by `Character` (as swift-mustache's own HTML escaping does)
/// would leave it as it is and let text end an attribute early.
enum MarkupEscaping {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by references; `apostrophe` is the one for `'`
    /// (`&#39;` in HTML, `&apos;` in XML).
    static func escape(_ text: String, apostrophe: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes in
            // All five are below 0x3F; the bytes of Chinese text are all above 0x7F, so bytes stand for scalars here.
            func isSpecial(_ byte: UInt8) -> Bool {
                byte < 0x3F && (byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27)
            }
            guard bytes.contains(where: isSpecial) else { return text }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 32)
            for byte in bytes {
                switch byte {
                case 0x26: result += "&amp;".utf8
                case 0x3C: result += "&lt;".utf8
                case 0x3E: result += "&gt;".utf8
                case 0x22: result += "&quot;".utf8
                case 0x27: result += apostrophe.utf8
                default: result.append(byte)
                }
            }
            return result.withUnsafeBufferPointer { UTF8Text.string(known: $0) }
        }
    }

    static func html(_ text: String) -> String { escape(text, apostrophe: "&#39;") }

    static func xml(_ text: String) -> String { escape(text, apostrophe: "&apos;") }

    /// The content type templates render with (`{{% CONTENT_TYPE: LANMU_HTML}}`, put before every template).
    struct HTMLContentType: MustacheContentType {
        static let name = "LANMU_HTML"

        func escapeText(_ text: String) -> String { MarkupEscaping.html(text) }
    }

    /// Registers the content type with swift-mustache, once per process.
    static let registered: Void = MustacheContentTypes.register(HTMLContentType(), named: HTMLContentType.name)
}
