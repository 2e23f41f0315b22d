/// Generated 索引号 for the articles of columns with `index_no: auto`: the site's `org_code`, the year of the
/// article's date and a sequence number within that year, `11330000002482162P/2025-00012`. A number once given never
/// changes: every number given is kept in the ledger `content/.index-numbers.txt` (one `索引号<TAB>content path` a
/// line), which a build brings up to date and the site commits with its content. Articles added later, before or after
/// others in date, get the next free number of their year; a renamed file gets a new one (its old number is not given
/// again).
struct IndexNumbers: Sendable, Equatable {
    /// The ledger's name inside `content/` (a dot file: the loader neither lists nor copies it).
    static let ledgerName = ".index-numbers.txt"

    /// Index number by content path, as the ledger holds them, in the ledger's order.
    private(set) var entries: [(number: String, path: String)] = []
    private var byPath: [String: String] = [:]

    static func == (lhs: IndexNumbers, rhs: IndexNumbers) -> Bool {
        lhs.entries.map(\.number) == rhs.entries.map(\.number) && lhs.entries.map(\.path) == rhs.entries.map(\.path)
    }

    init() {}

    /// Reads a ledger's text; lines that are not `索引号<TAB>path` are reported at their line.
    init(ledger text: String, file: String, diagnostics: inout [Diagnostic]) {
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, byPath[String(parts[1])] == nil else {
                diagnostics.append(
                    Diagnostic(
                        .invalidSetting, at: .init(file: file, line: offset + 1), "索引号台账的这一行无法读取：\(line)",
                        hint: "每行写“索引号<制表符>文章路径”，一篇文章只占一行；这个文件由 lanmu build 维护，不要手工改动已有的行"))
                continue
            }
            add(String(parts[0]), path: String(parts[1]))
        }
    }

    private mutating func add(_ number: String, path: String) {
        entries.append((number, path))
        byPath[path] = number
    }

    func number(for path: String) -> String? { byPath[path] }

    /// The ledger's text: a header line, then one entry a line in the order they were given.
    var text: String {
        "# 索引号台账：lanmu build 维护，请与内容一起提交；已有的行不要修改或删除\n"
            + entries.map { "\($0.number)\t\($0.path)\n" }.joined()
    }

    /// Gives numbers to the articles that have none yet, oldest first (then by path), each the next free sequence
    /// number of its year for this organisation code.
    /// - Parameter articles: content path and year of each article that needs a generated number.
    mutating func assign(_ articles: [(path: String, year: Int)], orgCode: String) {
        let new = articles.filter { byPath[$0.path] == nil }
        guard !new.isEmpty else { return }
        var highest: [Int: Int] = [:]
        for entry in entries {
            guard let (year, sequence) = Self.parse(entry.number, orgCode: orgCode) else { continue }
            highest[year] = max(highest[year] ?? 0, sequence)
        }
        for article in new {
            let sequence = (highest[article.year] ?? 0) + 1
            highest[article.year] = sequence
            add(Self.format(orgCode: orgCode, year: article.year, sequence: sequence), path: article.path)
        }
    }

    static func format(orgCode: String, year: Int, sequence: Int) -> String {
        let digits = String(sequence)
        return "\(orgCode)/\(year)-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// The year and sequence of a number this code generated; nil for others.
    static func parse(_ number: String, orgCode: String) -> (year: Int, sequence: Int)? {
        guard number.hasPrefix(orgCode + "/") else { return nil }
        let rest = number.dropFirst(orgCode.count + 1).split(separator: "-")
        guard rest.count == 2, let year = Int(rest[0]), let sequence = Int(rest[1]) else { return nil }
        return (year, sequence)
    }
}
