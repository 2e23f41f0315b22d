/// The query of an old URL (`aliases: - /show.asp?id=5`), as nginx sees it in a request: its arguments in the order
/// written, each `name=value` (or a bare `name`), percent-encoded as a browser sends them (`%E4…`, capitals).
/// A request matches when it carries every argument with the same value, in any order; other arguments are ignored
/// (`/show.asp?from=weixin&id=5` is `/show.asp?id=5`).
struct AliasQuery: Equatable, Sendable {
    struct Argument: Equatable, Sendable {
        var name: String
        /// Nil for a bare name (`?print`).
        var value: String?
    }

    var arguments: [Argument]

    /// The query as written in the rules and `counter-ids.txt`: `id=5&page=2`.
    var text: String {
        arguments.map { argument in argument.value.map { argument.name + "=" + $0 } ?? argument.name }.joined(
            separator: "&")
    }

    /// The form two aliases that match the same requests share: arguments sorted, names in lower case (nginx's
    /// `$arg_` compares names so).
    var comparisonKey: String {
        arguments.map { $0.name.lowercased() + ($0.value.map { "=" + $0 } ?? "") }.sorted().joined(separator: "&")
    }

    /// Characters a query may hold as they are; anything else outside ASCII is percent-encoded, and the rest of ASCII
    /// (`"`, `$`, `{`, space, …) cannot be written into an nginx rule safely.
    private static let allowed = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+,:/@!*'()%".utf8)

    /// The query after `?`, or why it cannot be one.
    static func parse(_ query: String) -> Result<AliasQuery, Problem> {
        var arguments: [Argument] = []
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            var encoded = ""
            for scalar in piece.unicodeScalars {
                if scalar.isASCII {
                    encoded.unicodeScalars.append(scalar)
                } else {
                    for byte in String(scalar).utf8 { encoded += "%" + hex(byte) }
                }
            }
            guard let normalized = normalizedPercents(encoded) else { return .failure(.badPercent) }
            let parts = normalized.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard !name.isEmpty else { return .failure(.emptyName) }
            if let bad = normalized.utf8.first(where: { !allowed.contains($0) && $0 != UInt8(ascii: "=") }) {
                return .failure(.character(Character(Unicode.Scalar(bad))))
            }
            arguments.append(Argument(name: name, value: parts.count > 1 ? String(parts[1]) : nil))
        }
        guard !arguments.isEmpty else { return .failure(.empty) }
        return .success(AliasQuery(arguments: arguments))
    }

    /// Why a query cannot be matched.
    enum Problem: Error, Equatable {
        case empty
        case emptyName
        case badPercent
        case character(Character)

        var message: String {
            switch self {
            case .empty: "? 后面没有参数"
            case .emptyName: "查询参数缺少参数名（= 前面是空的）"
            case .badPercent: "查询参数里的 % 后面不是两位十六进制数"
            case .character(let character):
                "查询参数里有“\(character == " " ? "空格" : String(character))”，nginx 规则写不了（浏览器会把它编码成 %xx，请照样写成 %xx）"
            }
        }
    }

    /// `%xx` with capital hex digits, as browsers send; nil when a `%` is not followed by two hex digits.
    private static func normalizedPercents(_ text: String) -> String? {
        var result = ""
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "%" else {
                result.unicodeScalars.append(scalar)
                continue
            }
            let digits = scalars.prefix(2)
            guard digits.count == 2, digits.allSatisfy({ $0.properties.isASCIIHexDigit }) else { return nil }
            result += "%" + String(String.UnicodeScalarView(digits)).uppercased()
            scalars = scalars.dropFirst(2)
        }
        return result
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// The nginx `if` condition that holds for a request with these arguments: `$arg_id = "5"` for one plain
    /// argument, else a regular expression over `$args` with one look-ahead per argument (any order, others
    /// allowed). Names compare without regard to case in both, as `$arg_` does.
    var nginxCondition: String {
        if arguments.count == 1, let value = arguments[0].value,
            arguments[0].name.utf8.allSatisfy({ isIdentifier($0) })
        {
            return "$arg_\(arguments[0].name) = \"\(value)\""
        }
        let lookaheads = arguments.map { argument in
            "(?=(.*&)?(?i:\(Self.literal(argument.name)))" + (argument.value.map { "=" + Self.literal($0) } ?? "")
                + "(&|$))"
        }
        return "$args ~ \"^" + lookaheads.joined() + "\""
    }

    private func isIdentifier(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    /// Text matched literally by PCRE: the allowed characters that mean something in a pattern go in brackets.
    private static func literal(_ text: String) -> String {
        var result = ""
        for character in text {
            if ".+*()".contains(character) { result += "[\(character)]" } else { result.append(character) }
        }
        return result
    }
}
