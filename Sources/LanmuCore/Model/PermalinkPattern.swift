/// A column's URL pattern for its articles (`permalink:`) or for its further list pages (`pager:`), as written in its
/// `_index.md`, checked once when it is read. `Permalinks` expands it; nothing else spells these URLs.
///
/// Parts: `:year` (2020), `:month` (04), `:i_month` (4), `:day` (05), `:i_day` (5), `:slug`, `:id` (the article's
/// `id:`), `:column_id` (the column's `id:`); for list pages `:page` (2 for the second page) and `:page0` (1 for the
/// second page, as TRS numbers `index_1.html`). A part's name is the longest one that matches after the colon, so
/// `art_:column_id_:id.html` reads `:column_id`, then `_`, then `:id`.
struct PermalinkPattern: Sendable, Equatable {
    enum Part: String, Sendable, CaseIterable {
        case year, month, iMonth = "i_month", day, iDay = "i_day", slug, id, columnID = "column_id", page, page0
    }

    enum Piece: Sendable, Equatable {
        case text(String)
        case part(Part)
    }

    /// What a pattern is for: article pages (absolute, from `/`) or list pages (relative to the column's URL).
    enum Kind: Sendable {
        case article
        case pager
    }

    /// The pattern as written.
    let source: String
    /// Where it was written, for diagnostics about it and about the URLs it makes.
    let location: Diagnostic.Location
    let pieces: [Piece]

    /// The file endings a pattern's last segment may have when it does not end with `/`.
    static let pageExtensions = [".html", ".htm", ".shtml"]

    /// Whether a part occurs in the pattern.
    func uses(_ part: Part) -> Bool { pieces.contains(.part(part)) }

    /// Reads and checks a pattern: nil with a diagnostic when it cannot be used.
    static func read(_ source: String, kind: Kind, at location: Diagnostic.Location) -> Result<
        PermalinkPattern, Diagnostic
    > {
        let key = kind == .article ? "permalink" : "pager"
        let example =
            kind == .article
            ? "permalink: /art/:year/:i_month/:i_day/art_:column_id_:id.html" : "pager: index_:page0.html"
        func escaping(_ why: String) -> Result<PermalinkPattern, Diagnostic> {
            .failure(
                Diagnostic(
                    .permalinkOutsideSite, at: location, "\(key)“\(source)”\(why)",
                    hint: kind == .article
                        ? "文章网址从 / 开始，只用站内路径，例如 \(example)"
                        : "列表页网址相对于栏目目录，不以 / 开头，例如 \(example) 或 pager: page/:page/"))
        }
        func invalid(_ why: String, hint: String? = nil) -> Result<PermalinkPattern, Diagnostic> {
            .failure(
                Diagnostic(
                    .invalidPermalinkPart, at: location, "\(key)“\(source)”\(why)",
                    hint: hint ?? "可用的部分：\(partList(kind))；例如 \(example)"))
        }
        if source.contains("://") || source.hasPrefix("//") { return escaping("指向别的网站") }
        switch kind {
        case .article where !source.hasPrefix("/"): return escaping("没有以 / 开头")
        case .pager where source.hasPrefix("/"): return escaping("以 / 开头（列表页网址相对于栏目目录）")
        default: break
        }
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(source)
        while let first = rest.first {
            if first == ":" {
                let name = rest.dropFirst()
                let allowed = kind == .article ? articleParts : pagerParts
                let longest = Part.allCases.filter { name.hasPrefix($0.rawValue) }.max {
                    $0.rawValue.count < $1.rawValue.count
                }
                guard let part = longest else {
                    let word = name.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                    return invalid("里的“:\(word)”不是可用的部分")
                }
                guard allowed.contains(part) else { return invalid("里不能用“:\(part.rawValue)”") }
                if !literal.isEmpty { pieces.append(.text(literal)) }
                literal = ""
                pieces.append(.part(part))
                rest = name.dropFirst(part.rawValue.count)
            } else {
                literal.append(first)
                rest = rest.dropFirst()
            }
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        let pattern = PermalinkPattern(source: source, location: location, pieces: pieces)

        // Segments with each part standing in as a plain word: what is left must be a path inside the site.
        let sample = pieces.map { piece in
            switch piece {
            case .text(let text): text
            case .part: "x"
            }
        }.joined()
        let segments = (kind == .article ? String(sample.dropFirst()) : sample).split(
            separator: "/", omittingEmptySubsequences: false)
        let lastIsFolder = sample.hasSuffix("/")
        for (index, segment) in segments.enumerated() where !(lastIsFolder && index == segments.count - 1) {
            if segment == "." || segment == ".." { return escaping("含有“\(segment)”，会指到站点外或别的目录") }
            if segment.isEmpty { return escaping("含有空的路径段（//）") }
            if let problem = URLPath.problem(with: String(segment)) { return invalid("不能用作网址：\(problem)") }
        }
        if !lastIsFolder, !pageExtensions.contains(where: { sample.lowercased().hasSuffix($0) }) {
            return invalid(
                "应当以 / 或 .html 结尾", hint: "以 / 结尾时页面写成该目录的 index.html，例如 \(example)")
        }
        switch kind {
        case .article where !pattern.uses(.slug) && !pattern.uses(.id):
            return invalid("里没有 :slug 或 :id，所有文章会得到同一个网址")
        case .pager where pattern.uses(.page) == pattern.uses(.page0):
            return invalid("里应当恰好有 :page 或 :page0 之一（第二页分别是 2 和 1）")
        default: return .success(pattern)
        }
    }

    private static let articleParts: [Part] = [.year, .month, .iMonth, .day, .iDay, .slug, .id, .columnID]
    private static let pagerParts: [Part] = [.page, .page0]

    private static func partList(_ kind: Kind) -> String {
        (kind == .article ? articleParts : pagerParts).map { ":" + $0.rawValue }.joined(separator: " ")
    }

    /// The pattern with its parts filled in; `value` gives each part's text.
    func expand(_ value: (Part) -> String) -> String {
        var text = ""
        for piece in pieces {
            switch piece {
            case .text(let literal): text += literal
            case .part(let part): text += value(part)
            }
        }
        return text
    }
}
