import Foundation
import LanmuCore

/// The columns an import creates: their `_index.md` files, titled from the breadcrumb, and the old list pages that
/// become their aliases.
extension SiteImporter {
    /// The columns of a run: the `_index.md` files it writes at its end, and the old list pages of columns that were
    /// there before it (their `_index.md` is the editor's: the run only says which aliases to add).
    struct ColumnPlan {
        /// Folders already looked at.
        var seen = Set<String>()
        var sections: [PlannedSection] = []
        /// The old first list page (percent-decoded) of a column that was there before the run → its `_index.md`.
        var existing: [String: String] = [:]
    }

    /// A column's `_index.md` the run writes at its end.
    struct PlannedSection {
        var path: String
        var title: String
        /// The old column's list pages: the one the breadcrumb links first, then its further pages.
        var aliases: [String] = []
    }

    /// Plans an `_index.md` for the folder and each folder above it that has none (written at the end of the run),
    /// titled with the breadcrumb's name (or the folder's); the old page the breadcrumb links that name to (the old
    /// column's list page) becomes its alias, so that the old column's address leads to the new one.
    func planColumns(
        _ folder: String, for page: ExtractedPage, at pagePath: String, plan: inout ColumnPlan,
        known: inout [String: String]
    ) throws {
        let segments = folder.split(separator: "/").map(String.init)
        for depth in 1...max(1, segments.count) where depth <= segments.count {
            let path = segments.prefix(depth).joined(separator: "/")
            guard !plan.seen.contains(path) else { continue }
            plan.seen.insert(path)
            let index = options.content.appendingPathComponent(path + "/_index.md")
            try fileManager.createDirectory(
                at: index.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard !fileManager.fileExists(atPath: index.path) else { continue }
            let breadcrumb = page.breadcrumb
            let nameIndex = breadcrumb.count - segments.count + depth - 1
            let named = breadcrumb.count >= segments.count && breadcrumb.indices.contains(nameIndex)
            let title = named ? breadcrumb[nameIndex] : segments[depth - 1]
            plan.sections.append(PlannedSection(path: path, title: title))
        }
        // The old list page, from the first page whose breadcrumb links it (an earlier one may have had no links).
        guard segments.count <= page.breadcrumb.count else { return }
        for depth in 1...max(1, segments.count) where depth <= segments.count {
            let path = segments.prefix(depth).joined(separator: "/")
            let planned = plan.sections.firstIndex { $0.path == path }
            guard planned.map({ plan.sections[$0].aliases.isEmpty }) ?? true,
                let href = page.breadcrumbLinks[page.breadcrumb[page.breadcrumb.count - segments.count + depth - 1]],
                let alias = listPage(href, from: pagePath), alias != "/" + path + "/index.html",
                known[Self.decoded(alias)] == nil
            else { continue }
            if let planned {
                known[Self.decoded(alias)] = "content/" + path + "/_index.md"
                plan.sections[planned].aliases = [alias]
            } else if plan.existing[Self.decoded(alias)] == nil {
                plan.existing[Self.decoded(alias)] = "content/" + path + "/_index.md"
            }
        }
    }

    /// The old list pages lead to the new columns: the first list page of a column the run creates (when it was read
    /// before an article linked it) and its further pages (`index_1.html`, `page/2/index.html`) become the column's
    /// aliases; a page saved with its query (`index.html?uid=1&pageNum=2.html`) is already redirected by its path's
    /// rule, as nginx matches paths. The list pages of a column that was there before the run are reported with the
    /// alias to add, for its `_index.md` is the editor's.
    func redirectListPages(
        _ listPages: [Int], in report: inout Report, plan: inout ColumnPlan, known: [String: String]
    ) {
        var sectionByAlias: [String: Int] = [:]
        for (number, section) in plan.sections.enumerated() {
            if let first = section.aliases.first { sectionByAlias[Self.decoded(first)] = number }
        }
        for index in listPages {
            let url = report.entries[index].oldURL
            let first = Self.firstListPage(of: url) ?? url
            let byQuery = url.contains("?")
            if let number = sectionByAlias[Self.decoded(first)] {
                let file = "content/" + plan.sections[number].path + "/_index.md"
                if byQuery {
                    report.entries[index].outcome = .skipped("栏目的翻页，由 \(file) 里 \(first) 的转向带到新栏目（路径相同，? 后的参数不影响这条转向）")
                } else {
                    if !plan.sections[number].aliases.contains(url) { plan.sections[number].aliases.append(url) }
                    report.entries[index].outcome = .skipped("栏目页，旧网址已写进 \(file) 的 aliases")
                }
            } else if first != url, let file = known[Self.decoded(first)], file.hasSuffix("/_index.md") {
                report.entries[index].outcome =
                    byQuery
                    ? .skipped("栏目的翻页，由 \(file) 里 \(first) 的转向带到新栏目（路径相同，? 后的参数不影响这条转向）")
                    : .skipped("栏目的翻页，没有转向：要转向，把 \(url) 加进 \(file) 的 aliases")
            } else if let file = plan.existing[Self.decoded(first)] {
                report.entries[index].outcome =
                    byQuery
                    ? .skipped("栏目的翻页，没有转向：把 \(first) 加进 \(file) 的 aliases，它就随之转向")
                    : .skipped("栏目页，没有转向：要转向，把 \(url) 加进 \(file) 的 aliases")
            }
        }
    }

    /// The first list page of a column that an old URL is a further page of: `/zwgk/tzgg/index_2.html` (TRS) →
    /// `/zwgk/tzgg/index.html`, `/news/page/2/index.html` → `/news/index.html`, a page saved with its query
    /// (`/col/col1229/index.html?uid=1&pageNum=2.html`, Hanweb) → `/col/col1229/index.html`; nil for other URLs.
    static func firstListPage(of url: String) -> String? {
        if let query = url.firstIndex(of: "?") { return String(url[..<query]) }
        var segments = url.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let last = segments.popLast() else { return nil }
        if last == "index.html", segments.count >= 3, segments[segments.count - 2] == "page",
            let number = segments.last, !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber })
        {
            return segments.dropLast(2).joined(separator: "/") + "/index.html"
        }
        for stem in ["index_", "default_"] where last.hasPrefix(stem) {
            guard let dot = last.lastIndex(of: ".") else { return nil }
            let number = last[last.index(last.startIndex, offsetBy: stem.count)..<dot]
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return segments.joined(separator: "/") + "/" + String(stem.dropLast()) + String(last[dot...])
        }
        return nil
    }

    /// Writes the planned `_index.md` files.
    func writeSections(_ sections: [PlannedSection]) throws {
        for section in sections {
            var text = "---\ntitle: \(Self.quoted(section.title))\n"
            if !section.aliases.isEmpty {
                text += "aliases:\n" + section.aliases.map { "  - \(Self.quoted($0))\n" }.joined()
            }
            try Data((text + "---\n").utf8).write(
                to: options.content.appendingPathComponent(section.path + "/_index.md"))
        }
    }

    /// The old URL of the list page a breadcrumb link of the page at `pagePath` leads to, when the mirror has it: a
    /// folder's `index.html` for a link to the folder; never the home page.
    func listPage(_ href: String, from pagePath: String) -> String? {
        guard var relative = mirrorPath(of: href, from: pagePath) else { return nil }
        var isFolder: ObjCBool = false
        if relative.isEmpty
            || (fileManager.fileExists(
                atPath: options.oldSite.appendingPathComponent(relative).path, isDirectory: &isFolder)
                && isFolder.boolValue)
        {
            relative += relative.isEmpty ? "index.html" : "/index.html"
        }
        let file = options.oldSite.appendingPathComponent(relative)
        guard relative != "index.html", fileManager.fileExists(atPath: file.path, isDirectory: &isFolder),
            !isFolder.boolValue, isInsideMirror(file)
        else { return nil }
        return "/" + relative
    }
}
