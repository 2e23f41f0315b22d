import Foundation
import LanmuCore

/// `--column-map FILE`: which folder below `content/` the pages of an old column go to. One rule a line,
/// `key = folder`; the key is an old URL prefix (`/col/col1229/ = sanfuwu/shixian`, the longest prefix wins) or a
/// breadcrumb (`三服务专题 > 市县动态 = sanfuwu/shixian`, or its last name alone); a line starting with `#` is a comment.
public struct ColumnMap: Sendable {
    var prefixes: [(prefix: String, folder: String)] = []
    var breadcrumbs: [String: String] = [:]

    public init() {}

    /// Reads a map file's text; the error names the line that is not `key = folder`.
    public init(reading text: String) throws(ImportProblem) {
        for (number, line) in SettingLines.settings(in: text) {
            guard let equals = line.lastIndex(of: "=") else {
                throw ImportProblem(line: number, "这一行不是“旧栏目 = 目录”的形式：\(line)")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty,
                let folder = Self.contentFolder(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            else {
                throw ImportProblem(line: number, "这一行不是“旧栏目 = 目录”的形式：\(line)")
            }
            if key.hasPrefix("/") {
                prefixes.append((key, folder))
            } else {
                breadcrumbs[Self.normalized(key)] = folder
            }
        }
        prefixes.sort { $0.prefix.count > $1.prefix.count }
    }

    /// A folder below `content/` as an editor writes it (`content/sanfuwu/shixian/` or `sanfuwu/shixian`), without
    /// `content/` and the last `/`; nil when it is empty, starts at `/` or climbs out with `..` (for the map's
    /// folders and `--into`).
    public static func contentFolder(_ text: String) -> String? {
        var folder = text.hasPrefix("content/") ? String(text.dropFirst("content/".count)) : text
        while folder.hasSuffix("/") { folder.removeLast() }
        guard !folder.isEmpty, !folder.hasPrefix("/"), !folder.split(separator: "/").contains("..") else { return nil }
        return folder
    }

    func folder(for oldURL: String, breadcrumb: [String]) -> String? {
        if let rule = prefixes.first(where: { oldURL.hasPrefix($0.prefix) }) { return rule.folder }
        if let full = breadcrumbs[Self.normalized(breadcrumb.joined(separator: ">"))] { return full }
        return breadcrumb.last.flatMap { breadcrumbs[Self.normalized($0)] }
    }

    private static func normalized(_ key: String) -> String {
        key.split(whereSeparator: { ">›»".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.joined(
            separator: ">")
    }
}

/// A problem with an import's own files (the column map, the rules), at a line.
public struct ImportProblem: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "\(line): \(message)" }
}
