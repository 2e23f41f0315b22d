import Foundation

/// The CSV of `lanmu counter export` and `import`: a header `id,hits`, then one article a line. An import's first
/// column may also be the article's address (its path or full URL), the second the count to carry over.
public enum CounterCSV {
    /// One line of an import that could not be used.
    public struct Problem: Error, CustomStringConvertible {
        public let line: Int
        public let text: String
        public var description: String { "第 \(line) 行：\(text)" }
    }

    /// The CSV of these counts.
    public static func export(_ rows: [(id: String, hits: Int)]) -> String {
        var text = "id,hits\n"
        for row in rows { text += field(row.id) + "," + String(row.hits) + "\n" }
        return text
    }

    /// The rows of an import file, each first column turned into an id with `manifest`; every line that cannot be
    /// used is reported (and nothing is imported when any is).
    public static func parse(_ text: String, manifest: ArticleManifest) -> (
        rows: [(id: String, hits: Int)], problems: [Problem]
    ) {
        var rows: [(id: String, hits: Int)] = []
        var problems: [Problem] = []
        var number = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            let fields = split(String(line))
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard fields.count == 2 else {
                problems.append(Problem(line: number, text: "要有两列（文章 id 或网址, 次数），这一行有 \(fields.count) 列"))
                continue
            }
            let key = fields[0].trimmingCharacters(in: .whitespaces)
            let value = fields[1].trimmingCharacters(in: .whitespaces)
            guard let hits = Int(value), hits >= 0 else {
                if number == 1 { continue }  // a header line
                problems.append(Problem(line: number, text: "次数“\(value)”不是非负整数"))
                continue
            }
            if manifest.contains(key) {
                rows.append((key, hits))
            } else if let id = manifest.id(forURL: key) {
                rows.append((id, hits))
            } else {
                problems.append(Problem(line: number, text: "“\(key)”不是站点里的文章 id 或文章网址（见 public/counter-ids.txt）"))
            }
        }
        return (rows, problems)
    }

    /// The counts of an export file (`id,hits` lines; a header line is skipped).
    public static func counts(in text: String) -> (counts: [String: Int], problems: [Problem]) {
        var counts: [String: Int] = [:]
        var problems: [Problem] = []
        var number = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            let fields = split(String(line))
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let value = fields.last?.trimmingCharacters(in: .whitespaces) ?? ""
            guard fields.count == 2, let hits = Int(value), hits >= 0 else {
                if number == 1 { continue }
                problems.append(Problem(line: number, text: "要写成“文章 id,次数”：\(line)"))
                continue
            }
            counts[fields[0].trimmingCharacters(in: .whitespaces)] = hits
        }
        return (counts, problems)
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The fields of one line, RFC 4180 quotes understood.
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    // A doubled quote is one quote; a single one ends the quoted part.
                    var lookahead = iterator
                    if lookahead.next() == "\"" {
                        current.append("\"")
                        iterator = lookahead
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
