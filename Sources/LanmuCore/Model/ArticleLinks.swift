/// Links between articles, written the way editors think (`[相关阅读](../tingnei/other.md#第二站)`): each is
/// checked against the site and given the target's URL; links and images to files that do not exist are errors
/// at the place they were written, links to headings that do not exist are warnings.
struct ArticleLinks {
    /// Every parsed article by content path, published or not (a draft's URL is known too).
    private(set) var articles: [String: ParsedArticle]
    /// Every other file below `content/`.
    let assets: Set<String>
    /// Every section folder (`sanfuwu/shixian`), the home page as "".
    let sections: Set<String>
    /// Every article's page folder (`sanfuwu/shixian/jiaoliu`), for links written as URL paths.
    let pages: Set<String>
    /// URLs of articles placed by their column's `permalink:` pattern, by content path.
    let placedURLs: [String: String]

    init(
        articles: [String: ParsedArticle], assets: Set<String>, sections: Set<String>,
        placedURLs: [String: String] = [:]
    ) {
        self.articles = articles
        self.assets = assets
        self.sections = sections
        self.placedURLs = placedURLs
        self.pages = Set(articles.values.map { ($0.directory + [$0.slug]).joined(separator: "/") })
    }

    /// What `resolve` found for one article.
    struct Resolved {
        /// A fingerprint of the link targets: the page changes when a target's URL does.
        var targets = 0
        var diagnostics: [Diagnostic] = []
        /// Placeholder → URL, in the order they are put in (`apply`, when the body is given back for its page).
        var replacements: [(placeholder: String, url: String)] = []
        /// Content paths of the articles it links to.
        var targetPaths: [String] = []
    }

    /// Puts an article read anew in place of the one with the same content path (its URL must not change).
    mutating func replace(_ article: ParsedArticle) {
        articles[article.contentPath] = article
    }

    /// The URLs of the articles it links to, a fingerprint of those targets, and the problems found.
    func resolve(_ article: ParsedArticle) -> Resolved {
        resolve(
            LinksToCheck(
                file: article.file, bodyFirstLine: article.bodyFirstLine, references: article.rendered.references,
                headingIDs: article.rendered.headingIDs))
    }

    /// The same for the links of any body, published or not.
    func resolve(_ article: LinksToCheck) -> Resolved {
        let references = article.references
        guard !references.isEmpty else { return Resolved() }
        var replacements: [(placeholder: String, url: String)] = []
        var diagnostics: [Diagnostic] = []
        var targetPaths: [String] = []
        var hasher = Hasher()
        // Heading ids as sets, made once per target: many anchors into a long article stay linear.
        var headingSets: [String: Set<String>] = [:]
        func has(_ anchor: String, in target: ParsedArticle) -> Bool {
            let ids = target.rendered.headingIDs
            if ids.count <= 8 { return ids.contains(anchor) }
            if let set = headingSets[target.contentPath] { return set.contains(anchor) }
            let set = Set(ids)
            headingSets[target.contentPath] = set
            return set.contains(anchor)
        }
        let ownIDs = article.headingIDs.count > 8 ? Set(article.headingIDs) : nil
        func location(_ position: MarkdownRenderer.Position) -> Diagnostic.Location {
            .init(file: article.file, line: position.line + article.bodyFirstLine - 1, column: position.column)
        }
        for reference in references {
            switch reference.target {
            case .external:
                break
            case .anchor(let anchor):
                if !(ownIDs?.contains(anchor) ?? article.headingIDs.contains(anchor)) {
                    diagnostics.append(
                        missingAnchor(
                            anchor, in: article.file, at: location(reference.position), known: article.headingIDs))
                }
            case .article(let candidates, let anchor):
                guard let target = candidates.lazy.compactMap({ articles[$0] }).first else {
                    diagnostics.append(
                        Diagnostic(
                            .brokenLink, at: location(reference.position),
                            "链接的文章不存在：content/\(candidates[0])",
                            hint: "检查文件名和路径（相对于本文所在目录，或相对于 content/），例如 ../tingnei/other.md"))
                    continue
                }
                hasher.combine(target.revision)
                targetPaths.append(target.contentPath)
                var url = placedURLs[target.contentPath] ?? target.url
                if let anchor {
                    url += "#" + URLPath.encode(anchor)
                    if !has(anchor, in: target) {
                        diagnostics.append(
                            missingAnchor(
                                anchor, in: target.file, at: location(reference.position),
                                known: target.rendered.headingIDs))
                    }
                }
                if let placeholder = reference.placeholder { replacements.append((placeholder, url)) }
            case .file(let path, _):
                let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
                if assets.contains(path) || sections.contains(folder) || pages.contains(folder) { continue }
                diagnostics.append(
                    Diagnostic(
                        .brokenLink, at: location(reference.position),
                        "\(reference.isImage ? "图片" : "链接的文件")不存在：content/\(path)",
                        hint: reference.isImage
                            ? "把图片放进文章所在的目录（或写对相对路径），例如 ![说明](tupian.jpg)"
                            : "检查文件名和路径；链接别的文章时写它的 .md 文件，例如 ../tingnei/other.md"))
            }
        }
        return Resolved(
            targets: hasher.finalize(), diagnostics: diagnostics, replacements: replacements, targetPaths: targetPaths)
    }

    /// Puts the link targets' URLs in place of their placeholders (`"/__lanmu_link_3__/"` in an `href`), in one pass
    /// over the body: the text between each pair of neighbouring quotes is looked up, so the work grows with the
    /// body's length, not with the body's length times its links (10,000 links once took 213 s).
    /// `plainApply` is the twin it is tested against.
    static func apply(_ replacements: [(placeholder: String, url: String)], to html: String) -> String {
        guard !replacements.isEmpty else { return html }
        var urls: [[UInt8]: [UInt8]] = [:]
        var longest = 0
        // The first URL given for a placeholder wins, as with one replacement after another.
        for (placeholder, url) in replacements where urls[Array(placeholder.utf8)] == nil {
            urls[Array(placeholder.utf8)] = Array(url.utf8)
            longest = max(longest, placeholder.utf8.count)
        }
        var html = html
        return html.withUTF8 { bytes in
            let quote = UInt8(ascii: "\"")
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            var copied = 0
            var open = bytes.firstIndex(of: quote)
            while let start = open {
                guard let end = bytes[(start + 1)...].firstIndex(of: quote) else { break }
                if end - start - 1 <= longest, let url = urls[Array(bytes[(start + 1)..<end])] {
                    output.append(contentsOf: bytes[copied...start])
                    output.append(contentsOf: url)
                    copied = end
                    // The closing quote is not the opening one of another placeholder.
                    open = bytes[(end + 1)...].firstIndex(of: quote)
                } else {
                    open = end
                }
            }
            guard copied > 0 else { return String(decoding: bytes, as: UTF8.self) }
            output.append(contentsOf: bytes[copied...])
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// One replacement over the whole body per link: the plain twin of `apply`, for tests.
    static func plainApply(_ replacements: [(placeholder: String, url: String)], to html: String) -> String {
        var html = html
        for (placeholder, url) in replacements {
            html = html.replacingOccurrences(of: "\"" + placeholder + "\"", with: "\"" + url + "\"")
        }
        return html
    }

    private func missingAnchor(
        _ anchor: String, in file: String, at location: Diagnostic.Location, known headingIDs: [String]
    ) -> Diagnostic {
        let suggestion = EditDistance.closest(to: anchor, among: headingIDs)
        return Diagnostic(
            .missingAnchor, at: location, "\(file) 里没有 id 为“\(anchor)”的标题",
            hint: suggestion.map { "是否想写 #\($0)？" }
                ?? "标题的 id 是标题文字去掉标点，例如“第一站：横村镇”的 id 是 第一站横村镇")
    }
}

/// The links and images of a body with what `ArticleLinks.resolve` needs to report on them: kept for an article
/// whose front matter has an error, so that a bad date and a missing image are reported in the same run.
struct LinksToCheck: Sendable {
    var file: String
    var bodyFirstLine: Int
    var references: [MarkdownRenderer.Reference]
    var headingIDs: [String]
}
