import LanmuCore

/// Turns a request target into an output path, refusing anything that could name a file outside the site:
/// `..` and `.` segments, backslashes, NUL and control characters, bad or double percent-encoding.
enum RequestPath {
    enum Outcome: Equatable {
        /// A path relative to the output root (`sanfuwu/shixian/index.html`'s directory form is kept as is).
        case path(String, query: String?)
        case bad
    }

    static func parse(_ target: String) -> Outcome {
        guard target.hasPrefix("/") else { return .bad }
        let query: String?
        var raw = Substring(target)
        if let mark = raw.firstIndex(of: "?") {
            query = String(raw[raw.index(after: mark)...])
            raw = raw[..<mark]
        } else {
            query = nil
        }
        if let hash = raw.firstIndex(of: "#") { raw = raw[..<hash] }
        guard let decoded = RequestDecoding.strictlyDecoded(raw) else { return .bad }
        if decoded.contains(where: { $0 == "\\" || $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } })
        {
            return .bad
        }
        // A second layer of encoding (%252e → %2e) is never a real file of ours: refuse it outright.
        let lowered = decoded.lowercased()
        if ["%2e", "%2f", "%5c", "%00", "%25"].contains(where: lowered.contains) { return .bad }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if segments.contains(where: { $0 == ".." || $0 == "." }) { return .bad }
        return .path(String(decoded.dropFirst()), query: query)
    }
}
