/// One problem found in a run, with the place it was found and what to do about it.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    /// How serious a problem is: errors stop the build, warnings do not.
    public enum Severity: Sendable, Equatable {
        case error
        case warning
    }

    /// A place in a file; line and column count from 1, columns in characters.
    public struct Location: Sendable, Equatable, Comparable {
        /// The file as shown to the user: relative to the site root when it lies inside it.
        public var file: String
        public var line: Int
        public var column: Int

        /// Creates a location; line and column default to the start of the file.
        public init(file: String, line: Int = 1, column: Int = 1) {
            self.file = file
            self.line = line
            self.column = column
        }

        public static func < (lhs: Location, rhs: Location) -> Bool {
            (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
        }
    }

    public var code: DiagnosticCode
    public var location: Location
    /// What is wrong, in Chinese.
    public var message: String
    /// How to fix it, in Chinese.
    public var hint: String

    /// Creates a diagnostic.
    public init(_ code: DiagnosticCode, at location: Location, _ message: String, hint: String) {
        self.code = code
        self.location = location
        self.message = message
        self.hint = hint
    }

    public var severity: Severity { code.severity }

    /// The compiler-style text: `file:line:col: 错误 E004: …` and an indented `提示:` line.
    public var description: String {
        let label = severity == .error ? "错误" : "警告"
        return "\(Self.printable(location.file)):\(location.line):\(location.column): \(label) \(code.rawValue): "
            + "\(message)\n"
            + "    提示: \(hint)"
    }
}

extension Diagnostic {
    /// A name as printed: control characters (a newline would split the one-line `file:line:col:`) and invisible
    /// characters that reorder or hide text (`abc\u{202E}gpj.exe` shows as `abcexe.jpg`) written as escapes,
    /// `\n`, `\u{202E}`; anything else as it is.
    public static func printable(_ name: String) -> String {
        guard name.unicodeScalars.contains(where: { isControl($0) || isInvisible($0) }) else { return name }
        var text = ""
        for scalar in name.unicodeScalars {
            if isControl(scalar) || isInvisible(scalar) {
                text += escaped(scalar)
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }

    /// `\n`, `\t`, `\r`, or `\u{…}` in hexadecimal.
    static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": "\\n"
        case "\t": "\\t"
        case "\r": "\\r"
        default: "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        }
    }

    /// C0 and C1 control characters and DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Bidirectional controls (which reorder what follows them) and zero-width characters (which hide a
    /// difference between two names that look the same).
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// What an invisible character is, in words.
    static func invisibleName(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x200B, 0x2060, 0xFEFF: "零宽空格"
        case 0x200C, 0x200D: "零宽连接符"
        case 0x2061...0x2064: "不可见运算符"
        default: "文字方向控制符"
        }
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var containsErrors: Bool { contains { $0.severity == .error } }

    /// Diagnostics in a stable order: by file, line, column, code, then text (the same set of diagnostics gives
    /// the same list, whatever order it was found in).
    public func sortedForDisplay() -> [Diagnostic] {
        sorted { a, b in
            if a.location != b.location { return a.location < b.location }
            return (a.code.rawValue, a.message, a.hint) < (b.code.rawValue, b.message, b.hint)
        }
    }
}
