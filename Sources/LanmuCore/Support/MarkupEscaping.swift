import Mustache

/// Escaping for HTML and XML by Unicode scalar. Browsers and XML parsers read code points, so `"` followed by a
/// combining mark is still a quote to them; escaping by `Character` (as swift-mustache's own HTML escaping does)
/// would leave it as it is and let text end an attribute early.
enum MarkupEscaping {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by references; `apostrophe` is the one for `'`
    /// (`&#39;` in HTML, `&apos;` in XML).
    static func escape(_ text: String, apostrophe: String) -> String {
        var copy = text
        // All five are below 0x3F; the bytes of Chinese text are all above 0x7F.
        let special = copy.withUTF8 { bytes in
            bytes.contains { $0 < 0x3F && ($0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27) }
        }
        guard special else { return text }
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
