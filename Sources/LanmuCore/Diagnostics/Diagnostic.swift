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
        return "\(location.file):\(location.line):\(location.column): \(label) \(code.rawValue): \(message)\n"
            + "    提示: \(hint)"
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
