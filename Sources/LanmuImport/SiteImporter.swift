import Foundation
import LanmuCore
import Yams

/// `lanmu import`: reads a saved copy of an old site (what `wget --mirror` leaves) and writes each article page as a
/// Markdown article with front matter — title, date, source, author, editor, the old number as `id:` and the old URL
/// as an alias — in the column its breadcrumb (or the column map, or `--into`) names, with its images and
/// attachments copied beside it. Running it again imports only what is new: a page whose old URL is already an
/// alias of an article in `content/` is skipped.
public struct SiteImporter {
    public struct Options: Sendable {
        /// The old site's folder: its files are the old URLs (`art/2020/4/30/art_1229_4567890.html` is
        /// `/art/2020/4/30/art_1229_4567890.html`).
        public var oldSite: URL
        /// The site's `content/`.
        public var content: URL
        /// A folder below `content/` every article goes to, unless the column map says otherwise.
        public var into: String?
        public var columnMap = ColumnMap()
        public var rules = ImportRules()

        public init(oldSite: URL, content: URL, into: String? = nil) {
            self.oldSite = oldSite
            self.content = content
            self.into = into
        }
    }

    /// What happened to one old page.
    public struct Entry: Sendable, Equatable {
        public enum Outcome: Sendable, Equatable {
            /// Written to this file below `content/`.
            case imported(String)
            /// Not an article, or already imported; why, in Chinese.
            case skipped(String)
            /// Could not be read; why, in Chinese.
            case failed(String)
        }

        /// The old URL (`/art/2020/4/30/art_1229_4567890.html`).
        public var oldURL: String
        public var outcome: Outcome
        /// Things worth a look: a wrong or missing charset declaration, images not found.
        public var notes: [String] = []
    }

    public struct Report: Sendable {
        public var entries: [Entry] = []

        public var imported: Int { entries.count { if case .imported = $0.outcome { true } else { false } } }
        public var skipped: Int { entries.count { if case .skipped = $0.outcome { true } else { false } } }
        public var failed: Int { entries.count { if case .failed = $0.outcome { true } else { false } } }

        /// Old URL → the article file it became, for the counter's import of old view counts (keyed by old URL).
        public var oldURLs: [(oldURL: String, file: String)] {
            entries.compactMap { entry in
                if case .imported(let file) = entry.outcome { (entry.oldURL, file) } else { nil }
            }
        }

        /// `导入 12 篇，跳过 30 页，失败 1 页`.
        public var summary: String { "导入 \(imported) 篇，跳过 \(skipped) 页，失败 \(failed) 页" }
    }

    let options: Options
    let fileManager = FileManager.default
    /// The mirror's folder with its symbolic links resolved, once: what `isInsideMirror` compares with.
    private let mirrorRoot: String

    public init(options: Options) {
        self.options = options
        mirrorRoot = options.oldSite.standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Old page files, in path order: `.html`, `.htm`, `.shtml`, and `.asp`, `.aspx`, `.jsp`, `.php`, `.do` with
    /// or without a saved query, below the old site's folder.
    func pages() -> [String] {
        let root = options.oldSite.standardizedFileURL.path
        guard let walker = fileManager.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let path = walker.nextObject() as? String {
            if Self.oldURL(ofSavedFile: path) != nil, isInsideMirror(options.oldSite.appendingPathComponent(path)) {
                found.append(path)
            }
        }
        return found.sorted()
    }

    /// Endings of the pages an old site serves (before any query).
    static let pageEndings = [".html", ".htm", ".shtml", ".asp", ".aspx", ".jsp", ".php", ".do"]

    /// A saved page's old URL and query: `/` and its path, the query `wget` kept in the file's name after `?`
    /// (`show.asp?id=5`), or after `@` when saved with `--restrict-file-names=windows` (`show.asp@id=5`), without
    /// the `.html` that `--adjust-extension` adds after a query. Nil for a file that is not a page.
    static func oldURL(ofSavedFile path: String) -> (url: String, path: String, query: String?)? {
        let folderEnd = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = path[folderEnd...]
        func isPage(_ text: Substring) -> Bool {
            let lower = text.lowercased()
            return pageEndings.contains { lower.hasSuffix($0) && lower.count > $0.count }
        }
        var separator = name.firstIndex(of: "?")
        if separator == nil, let at = name.firstIndex(of: "@"), isPage(name[..<at]) { separator = at }
        guard let separator else { return isPage(name) ? ("/" + path, "/" + path, nil) : nil }
        let page = String(path[..<separator])
        guard isPage(name[..<separator]) else { return nil }
        var query = path[path.index(after: separator)...]
        if query.lowercased().hasSuffix(".html") { query = query.dropLast(5) }
        guard !query.isEmpty else { return ("/" + page, "/" + page, nil) }
        return ("/" + page + "?" + query, "/" + page, String(query))
    }

    /// An article worked out from a page, written once every page has been read (a later duplicate adds its old
    /// URL to the aliases, so that it redirects too and a second run skips it).
    private struct Planned {
        var file: String
        var page: ExtractedPage
        var id: String?
        var aliases: [String]
        var attachments: [String]
        var body: String
    }

    /// Whether a file of the mirror is really inside it: a symbolic link out of the mirror is not read or copied.
    func isInsideMirror(_ file: URL) -> Bool {
        file.standardizedFileURL.resolvingSymlinksInPath().path.hasPrefix(mirrorRoot + "/")
    }

    /// Imports every page; writes below `content/` only.
    public func run() throws -> Report {
        var report = Report()
        var known = try existingAliases()
        var seen: [String: Int] = [:]
        var planned: [Planned] = []
        var takenNames = Set<String>()
        var columns = ColumnPlan()
        // Pages skipped for having no body, by their entry: list pages among them are the old columns' pages.
        var listPages: [Int] = []
        for path in pages() {
            let (oldURL, oldPath, query) = Self.oldURL(ofSavedFile: path)!
            var entry = Entry(oldURL: oldURL, outcome: .skipped(""))
            defer { report.entries.append(entry) }
            if let file = known[Self.decoded(oldURL)] {
                entry.outcome = .skipped(
                    file.hasSuffix("/_index.md") ? "栏目页，旧网址已写进 \(file) 的 aliases" : "已经导入过（\(file)）")
                continue
            }
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: options.oldSite.appendingPathComponent(path)))
            } catch {
                entry.outcome = .failed("读不出文件：\(error.localizedDescription)")
                continue
            }
            guard let decoded = PageDecoding.decode(bytes) else {
                entry.outcome = .failed("既不是 UTF-8 也不是 GBK/GB18030 编码，无法读取")
                continue
            }
            if let problem = decoded.problem { entry.notes.append(problem) }
            let root = HTMLDocument.parse(decoded.text)
            let page: ExtractedPage
            switch PageExtractor.extract(root, rules: options.rules) {
            case .skipped(let reason):
                entry.outcome = .skipped(reason)
                if reason == PageExtractor.noBody { listPages.append(report.entries.count) }
                continue
            case .article(let extracted): page = extracted
            }
            let fingerprint = page.title + "\u{0}" + page.date + "\u{0}" + PageExtractor.oneLine(page.body.text)
            if let first = seen[fingerprint] {
                planned[first].aliases.append(oldURL)
                known[Self.decoded(oldURL)] = "content/" + planned[first].file
                entry.outcome = .skipped("与 \(planned[first].aliases[0]) 重复，旧网址加为 content/\(planned[first].file) 的别名")
                continue
            }
            let folder = targetFolder(for: oldURL, breadcrumb: page.breadcrumb)
            var copies: [(from: URL, name: String)] = []
            var linkedInBody = Set<String>()
            let writer = MarkdownWriter { url, kind in
                let destination = resolve(url, kind, page: path, folder: folder, copies: &copies, notes: &entry.notes)
                // The writer asks only for the links it writes.
                if kind == .link, let destination { linkedInBody.insert(destination) }
                return destination
            }
            let body = writer.markdown(of: page.body)
            // Attachments listed outside the body go into `attachments:`, unless the body links to them already.
            var attachments: [String] = []
            for attachment in page.attachments {
                guard
                    let name = resolve(
                        attachment.href, .link, page: path, folder: folder, copies: &copies, notes: &entry.notes),
                    copies.contains(where: { $0.name == name }), !linkedInBody.contains(name),
                    !attachments.contains(where: { $0 == name || $0.hasPrefix(name + " | ") })
                else { continue }
                attachments.append(
                    attachment.title.isEmpty || attachment.title == name ? name : name + " | " + attachment.title)
            }
            let stem = articleStem(String(oldPath.dropFirst()), query: query)
            var name = stem
            var counter = 2
            while takenNames.contains(folder + "/" + name)
                || fileManager.fileExists(
                    atPath: options.content.appendingPathComponent(folder + "/" + name + ".md").path)
            {
                name = "\(stem)-\(counter)"
                counter += 1
            }
            takenNames.insert(folder + "/" + name)
            let file = folder + "/" + name + ".md"
            try planColumns(folder, for: page, at: path, plan: &columns, known: &known)
            for copy in copies {
                let destination = options.content.appendingPathComponent(folder + "/" + copy.name)
                if !fileManager.fileExists(atPath: destination.path) {
                    try fileManager.copyItem(at: copy.from, to: destination)
                }
            }
            seen[fingerprint] = planned.count
            planned.append(
                Planned(
                    file: file, page: page, id: query == nil ? Self.oldNumber(stem) : Self.oldNumber(query: query!),
                    aliases: [oldURL], attachments: attachments,
                    body: body))
            known[Self.decoded(oldURL)] = "content/" + file
            entry.outcome = .imported("content/" + file)
        }
        redirectListPages(listPages, in: &report, plan: &columns, known: known)
        try writeSections(columns.sections)
        for article in planned {
            let text =
                Self.frontMatter(
                    article.page, id: article.id, aliases: article.aliases, attachments: article.attachments)
                + "\n" + article.body
            try Data(text.utf8).write(to: options.content.appendingPathComponent(article.file))
        }
        return report
    }

    /// An old URL as compared with aliases: percent-decoded (`/a%20b.html` and `/a b.html` are one page).
    static func decoded(_ url: String) -> String { url.removingPercentEncoding ?? url }

    // MARK: Where things go

    /// The folder below `content/`: the column map's, else `--into`, else the breadcrumb's names, else `imported`.
    func targetFolder(for oldURL: String, breadcrumb: [String]) -> String {
        if let mapped = options.columnMap.folder(for: oldURL, breadcrumb: breadcrumb) { return mapped }
        if let into = options.into { return into }
        let names = breadcrumb.map(Self.safeSegment).filter { !$0.isEmpty }
        return names.isEmpty ? "imported" : names.joined(separator: "/")
    }

    /// A name usable as a folder or file name: characters no file system or URL takes become `-`.
    static func safeSegment(_ name: String) -> String {
        let forbidden = Set("/\\<>:\"|?*#%")
        var result = String(name.map { forbidden.contains($0) || $0.isNewline ? "-" : $0 })
        while result.hasSuffix(".") || result.hasSuffix(" ") { result.removeLast() }
        while result.hasPrefix(".") || result.hasPrefix(" ") { result.removeFirst() }
        return result
    }

    /// The article's file name without `.md`: the old file's (`art_1229_4567890`), or its folder's when the old file
    /// is an `index.html`; the values of a query follow (`show.asp?id=5` → `show_5`).
    func articleStem(_ path: String, query: String? = nil) -> String {
        let parts = path.split(separator: "/").map(String.init)
        var name = parts.last ?? path
        if let dot = name.lastIndex(of: ".") { name = String(name[..<dot]) }
        if name.lowercased() == "index", parts.count > 1 { name = parts[parts.count - 2] }
        for value in Self.queryValues(query) where !value.isEmpty { name += "_" + value }
        let safe = Self.safeSegment(name)
        return safe.isEmpty ? "article" : safe
    }

    /// The values of a query's arguments, percent-decoded (`id=5&cat=新闻` → `5`, `新闻`).
    static func queryValues(_ query: String?) -> [String] {
        guard let query else { return [] }
        return query.split(separator: "&").compactMap { argument in
            guard let equals = argument.firstIndex(of: "=") else { return nil }
            let value = String(argument[argument.index(after: equals)...])
            return value.removingPercentEncoding ?? value
        }
    }

    /// The old CMS's number of a page saved with its query: the one argument whose value is a number
    /// (`show.asp?id=5` → `5`); nil when none or several are.
    static func oldNumber(query: String) -> String? {
        let numbers = queryValues(query).filter { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        return numbers.count == 1 ? numbers[0] : nil
    }

    /// The old CMS's number: the digits after the last `_` of the file name (`art_1229_4567890` → `4567890`,
    /// `t20200430_4567890` → `4567890`), or the whole name when it is a number.
    static func oldNumber(_ stem: String) -> String? {
        let tail = stem.split(separator: "_").last.map(String.init) ?? stem
        return !tail.isEmpty && tail.allSatisfy({ $0.isASCII && $0.isNumber }) ? tail : nil
    }

    /// Old URLs already aliases of articles and columns in `content/` (percent-decoded), with the file that has
    /// each.
    func existingAliases() throws -> [String: String] {
        var known: [String: String] = [:]
        let root = options.content.standardizedFileURL.path
        guard let walker = fileManager.enumerator(atPath: root) else { return known }
        var paths: [String] = []
        while let path = walker.nextObject() as? String {
            if path.hasSuffix(".md") { paths.append(path) }
        }
        for path in paths.sorted() {
            let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
            // A file that is not UTF-8 was not written by the importer, and the build reports it.
            guard let text = String(validating: data, as: UTF8.self) else { continue }
            for alias in Self.aliases(inFrontMatterOf: text) where known[Self.decoded(alias)] == nil {
                known[Self.decoded(alias)] = "content/" + path
            }
        }
        return known
    }

    /// The `aliases:` of a Markdown file's front matter: a list or a single URL.
    static func aliases(inFrontMatterOf text: String) -> [String] {
        let lines = SettingLines.lines(of: text)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else { return [] }
        let yaml = lines[1..<end].joined(separator: "\n")
        // Broken front matter is the build's to report (with its line); here such a file simply has no aliases.
        guard let fields = (try? Yams.load(yaml: yaml)) as? [String: Any] else { return [] }
        switch fields["aliases"] {
        case let single as String: return [single]
        case let list as [Any]: return list.compactMap { $0 as? String }
        default: return []
        }
    }

    // MARK: Images and attachments

    /// File endings of attachments worth bringing along.
    static let attachmentExtensions: Set<String> = [
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "ofd", "zip", "rar", "7z", "txt", "csv",
        "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "mp4", "mp3",
    ]

    /// The destination to write for a link or image of the page at `page`: a file of the old site copied beside the
    /// article (its new name), another address of the old site as its site-absolute old URL (which the aliases
    /// redirect), another site's as it was; an image that cannot be found or is on another site is left out, with a
    /// note.
    private func resolve(
        _ url: String, _ kind: MarkdownWriter.Reference, page: String, folder: String,
        copies: inout [(from: URL, name: String)], notes: inout [String]
    ) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let relative = mirrorPath(of: trimmed, from: page) else {
            // Another site, or mailto: and the like: a link stays; an image would be a request to another site.
            if kind == .image { notes.append("图片不在旧网站里，没有导入：\(url)") }
            return kind == .image ? nil : trimmed
        }
        let segments = relative.split(separator: "/").map(String.init)
        let local = options.oldSite.appendingPathComponent(relative)
        var isFolder: ObjCBool = false
        let exists = !relative.isEmpty && fileManager.fileExists(atPath: local.path, isDirectory: &isFolder)
        let ending = (segments.last?.split(separator: ".").last).map { $0.lowercased() } ?? ""
        if exists, !isFolder.boolValue, kind == .image || Self.attachmentExtensions.contains(ending),
            isInsideMirror(local)
        {
            let name = Self.safeSegment(segments.last!)
            if let copied = copies.first(where: { $0.from == local }) { return copied.name }
            var chosen = name
            var counter = 2
            while copies.contains(where: { $0.name == chosen })
                || differentFileExists(options.content.appendingPathComponent(folder + "/" + chosen), from: local)
            {
                chosen = "\(counter)-\(name)"
                counter += 1
            }
            copies.append((local, chosen))
            return chosen
        }
        if kind == .image {
            notes.append("图片找不到，没有导入：\(url)")
            return nil
        }
        // Any other address of the old site, saved or not, as its site-absolute old URL (with its query): the
        // aliases redirect the imported ones, and a relative link would point below the new article instead.
        let suffix = trimmed.firstIndex { $0 == "?" || $0 == "#" }.map { String(trimmed[$0...]) } ?? ""
        let folderSlash = !segments.isEmpty && trimmed.prefix { $0 != "?" && $0 != "#" }.hasSuffix("/") ? "/" : ""
        return "/"
            + segments.map {
                $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["?", "#"])) ?? $0
            }.joined(separator: "/") + folderSlash + suffix
    }

    /// The path below the mirror's folder that a link of the page at `page` points at (percent-decoded, `.` and `..`
    /// resolved, never above the folder); nil for a scheme such as `mailto:` and for an address on another host than
    /// the folder's name (wget names the folder after the site: `www.example.gov.cn`).
    func mirrorPath(of url: String, from page: String) -> String? {
        var path = url
        if let scheme = path.range(of: "//"),
            path[..<scheme.lowerBound].isEmpty
                || (path[..<scheme.lowerBound].hasSuffix(":")
                    && path[..<scheme.lowerBound].dropLast().allSatisfy { $0.isASCII && $0.isLetter })
        {
            let rest = path[scheme.upperBound...]
            let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" && $0 != "#" }.lowercased()
            guard host == options.oldSite.standardizedFileURL.lastPathComponent.lowercased() else { return nil }
            path = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        } else if let colon = path.firstIndex(of: ":"),
            path[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) })
        {
            return nil
        }
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<cut]) }
        path = path.removingPercentEncoding ?? path
        var segments = path.hasPrefix("/") ? [] : page.split(separator: "/").dropLast().map(String.init)
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(String(part))
        }
        return segments.joined(separator: "/")
    }

    private func differentFileExists(_ url: URL, from source: URL) -> Bool {
        guard fileManager.fileExists(atPath: url.path) else { return false }
        return !fileManager.contentsEqual(atPath: url.path, andPath: source.path)
    }

    // MARK: Front matter

    static func frontMatter(_ page: ExtractedPage, id: String?, aliases: [String], attachments: [String] = []) -> String
    {
        var lines = ["---", "title: \(quoted(page.title))", "date: \(page.date)"]
        if let source = page.source { lines.append("source: \(quoted(source))") }
        if let author = page.author { lines.append("author: \(quoted(author))") }
        if let editor = page.editor { lines.append("editor: \(quoted(editor))") }
        for (key, value) in page.information {
            // 成文日期 is a date (`findDate`'s form), written as `date` is.
            lines.append("\(key): " + (key == "written_date" ? value : quoted(value)))
        }
        if let id { lines.append("id: \"\(id)\"") }
        lines.append("aliases:")
        for alias in aliases { lines.append("  - \(quoted(alias))") }
        if !attachments.isEmpty {
            lines.append("attachments:")
            for attachment in attachments { lines.append("  - \(quoted(attachment))") }
        }
        lines.append("---")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted string.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            // Other control characters are not text a reader sees; YAML reads U+0085, U+2028 and U+2029 as line
            // breaks, so they are escaped.
            case "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
