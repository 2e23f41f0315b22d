import Foundation

/// A section's `_index.md` after its front matter was read.
struct ParsedSection: Sendable {
    var segments: [String]
    var file: String
    var frontMatter: SectionFrontMatter
    /// Changes whenever the file is read anew: pages compare revisions to know what to render again.
    var revision = 0
    /// A digest of the file's bytes and path, the same in every run (`lanmu build`'s page digests).
    var digest: UInt64 = 0
}

/// An article file as the parser gives it: its front matter read and its body rendered, before the run decides where
/// the body waits (`BodyStore.take`).
struct ArticleDocument: Sendable {
    var contentPath: String
    var file: String
    var frontMatter: ArticleFrontMatter
    var rendered: MarkdownRenderer.Rendered
    var settings = SiteSettings()
    var revision = 0
    var bodyFirstLine = 1
    /// The article's part of the search index, when site search is on.
    var search: SearchRecord? = nil
    /// A digest of everything parsed from the file and its path, the same in every run: the record's checksum
    /// (`RecordCache.digest`); 0 when the run keeps no records (then no page digest is made).
    var digest: UInt64 = 0
}

/// An article file after its front matter was read and its body rendered, with everything about it that does
/// not depend on the other files worked out once. Shared by reference: the preview keeps these between rebuilds
/// and the model points at them instead of copying their text.
final class ParsedArticle: Sendable {
    /// Path below `content/`, e.g. `sanfuwu/shixian/jiaoliu.md`.
    let contentPath: String
    let file: String
    let frontMatter: ArticleFrontMatter
    let rendered: MarkdownRenderer.Rendered
    /// The article's part of the search index, when site search is on.
    let search: SearchRecord?
    /// Changes whenever the file is read anew.
    let revision: Int
    /// What was parsed from the file, as a digest the same in every run (see `ArticleDocument.digest`).
    let digest: UInt64
    /// Folder names from `content/` to the article.
    let directory: [String]
    /// The `slug` front matter, else the file name without `.md`.
    let slug: String
    /// The content path without `.md`: the view counter's stable id.
    let id: String
    /// Why the slug cannot be used, reported when the article is published.
    let slugProblem: Diagnostic?
    let summary: String
    let url: String
    /// The page's file below the output root, e.g. `sanfuwu/shixian/jiaoliu/index.html`.
    let outputPath: String
    /// The output file in the form two colliding names share (see `precomposedForComparison`).
    let collisionKey: String
    /// `collisionKey`'s hash, worked out once.
    let collisionHash: Int
    /// The article's `<url>` line of the site map.
    let sitemapEntry: String
    /// `sitemapEntry`'s hash, worked out once: the preview's site map fingerprint.
    let sitemapHash: Int
    /// The date as pages and feeds show it, formatted once in the site's zone.
    let dateText: String
    let listDateText: String
    let isoDate: String
    let rfc822Date: String

    /// The file line on which the body starts (references count lines from the body).
    let bodyFirstLine: Int

    /// Whether `rendered.html` holds the body, or it was parked in a file to keep a large build's memory to
    /// metadata, or left in the build cache's records file, or let go (see `BodyStore`).
    enum Body: Sendable, Equatable {
        case kept
        case spilled(BodySpill.Spot)
        /// In `.lanmu-cache/records` (`RecordCache`).
        case recorded(RecordCache.Body)
        /// Let go: the run writes no page (`lanmu check`).
        case dropped
    }
    let body: Body

    convenience init(
        contentPath: String, file: String, frontMatter: ArticleFrontMatter, rendered: MarkdownRenderer.Rendered,
        settings: SiteSettings = SiteSettings(), revision: Int = 0, bodyFirstLine: Int = 1, body: Body = .kept
    ) {
        self.init(
            ArticleDocument(
                contentPath: contentPath, file: file, frontMatter: frontMatter, rendered: rendered, settings: settings,
                revision: revision, bodyFirstLine: bodyFirstLine),
            body: body)
    }

    /// The article as the model holds it, its body where the run put it.
    init(_ document: ArticleDocument, body: Body) {
        let (contentPath, file, frontMatter, rendered, settings, revision, bodyFirstLine) = (
            document.contentPath, document.file, document.frontMatter, document.rendered, document.settings,
            document.revision, document.bodyFirstLine
        )
        self.bodyFirstLine = bodyFirstLine
        self.contentPath = contentPath
        self.file = file
        self.frontMatter = frontMatter
        self.body = body
        self.search = document.search
        var kept = rendered
        if body != .kept {
            kept.html = ""
            kept.leadingText = ""
        }
        self.rendered = kept
        self.revision = revision
        self.digest = document.digest
        let parts = TextScan.pathSegments(contentPath)
        directory = Array(parts.dropLast())
        let name = parts.last ?? contentPath
        let stem = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        slug = frontMatter.slug ?? stem
        id = String(contentPath.dropLast(contentPath.hasSuffix(".md") ? 3 : 0))
        if let problem = URLPath.problem(with: slug) {
            let (location, what) =
                frontMatter.slug == nil
                ? (Diagnostic.Location(file: file), "文件名") : (frontMatter.slugLocation ?? .init(file: file), "slug")
            slugProblem = Diagnostic(
                .invalidSlug, at: location, "\(what)“\(Diagnostic.printable(slug))”不能用作网址：\(problem)",
                hint: "用字母、数字、汉字和短横线，例如 slug: 2020-04-30-jiaoliu")
        } else {
            slugProblem = nil
        }
        summary =
            frontMatter.summary.map(MarkdownRenderer.plainText)
            ?? Summary.cut(rendered.leadingText, limit: settings.summaryLength)
        url = Permalinks.articleURL(directory: directory, slug: slug)
        outputPath = Permalinks.articlePath(directory: directory, slug: slug)
        collisionKey = outputPath.precomposedForComparison
        collisionHash = collisionKey.hashValue
        let (local, offset) = frontMatter.date.local(in: settings.timeZone)
        dateText = settings.dateFormat.string(from: local)
        listDateText = settings.listDateFormat.string(from: local)
        isoDate = DateFormat.iso8601(local, offset: offset)
        rfc822Date = DateFormat.rfc822(local, offset: offset)
        sitemapEntry = XMLDocuments.sitemapEntry(url: url, isoDate: isoDate, baseURL: settings.baseURL)
        sitemapHash = sitemapEntry.hashValue
    }
}

/// Which articles a run publishes.
public struct PublishFilter: Sendable {
    /// Publish drafts too (`--drafts`).
    public var includeDrafts = false
    /// Publish articles dated after `now` too (`--future`).
    public var includeFuture = false
    /// The injected clock.
    public var now: PublishDate

    /// Creates a filter that publishes neither drafts nor future articles.
    public init(now: PublishDate, includeDrafts: Bool = false, includeFuture: Bool = false) {
        self.now = now
        self.includeDrafts = includeDrafts
        self.includeFuture = includeFuture
    }
}

/// Builds the site model: sections, published articles, sort orders, URL checks. Pure: no disk, no clock.
enum SiteBuilder {
    static func build(
        settings: SiteSettings, homeFile: String, sections parsedSections: [ParsedSection],
        articles parsedArticles: [ParsedArticle], unpublishable: [LinksToCheck] = [],
        assets: [(contentPath: String, file: String)], filter: PublishFilter, keepPatching: Bool = false,
        watchdog: RenderWatchdog? = nil
    ) -> (Site, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var sections = [
            Section(
                segments: [], title: settings.homeTitle, description: settings.description, paginate: settings.paginate,
                file: homeFile)
        ]
        var sectionIndex: [[String]: Int] = [[]: 0]
        for parsed in parsedSections.sorted(by: { $0.segments.lexicographicallyPrecedes($1.segments) }) {
            if let problem = parsed.segments.lazy.compactMap(URLPath.problem(with:)).first {
                diagnostics.append(
                    Diagnostic(
                        .invalidSlug, at: .init(file: parsed.file), "目录名不能用作网址：\(problem)",
                        hint: "把目录改成字母、数字、汉字或短横线组成的名字，例如 shixian"))
                continue
            }
            let parentSegments = Array(parsed.segments.dropLast())
            guard let parent = sectionIndex[parentSegments] else {
                diagnostics.append(
                    Diagnostic(
                        .sectionWithoutIndex, at: .init(file: parsed.file),
                        "上级目录“\(parentSegments.joined(separator: "/"))”没有 _index.md，这个栏目无法放进导航和面包屑",
                        hint: "在上级目录里建一个 _index.md，写上 title（栏目名称）"))
                continue
            }
            let frontMatter = parsed.frontMatter
            sectionIndex[parsed.segments] = sections.count
            sections[parent].children.append(sections.count)
            var section = Section(
                segments: parsed.segments, title: frontMatter.title, description: frontMatter.description,
                paginate: frontMatter.paginate ?? settings.paginate, file: parsed.file, weight: frontMatter.weight,
                parent: parent, revision: parsed.revision)
            section.digest = parsed.digest
            (section.kind, section.kindLocation, section.updateDays, section.keywords, section.autoIndexNumbers) = (
                frontMatter.kind, frontMatter.kindLocation, frontMatter.updateDays, frontMatter.keywords,
                frontMatter.autoIndexNumbers
            )
            (section.permalink, section.pager, section.columnID) = (
                frontMatter.permalink, frontMatter.pager, frontMatter.id
            )
            if let permalink = frontMatter.permalink, permalink.uses(.columnID), frontMatter.id == nil {
                diagnostics.append(
                    Diagnostic(
                        .invalidPermalinkPart, at: permalink.location,
                        "permalink 用了 :column_id，但栏目没有写 id（旧系统里的栏目编号）",
                        hint: "在这个 _index.md 里加一行，例如 id: 1229"))
                section.permalink = nil
            }
            sections.append(section)
        }

        // Articles of columns with a `permalink:` pattern, placed before links are resolved: links show their URLs.
        var placements: [String: Article.Placement] = [:]
        for parsed in parsedArticles {
            guard let index = sectionIndex[parsed.directory], let pattern = sections[index].permalink else { continue }
            switch Self.place(parsed, by: pattern, columnID: sections[index].columnID, settings: settings) {
            case .success(let placement): placements[parsed.contentPath] = placement
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }

        var articles: [Article] = []
        // The lookup tables for links are built only when some article links inside the site.
        let links =
            !unpublishable.isEmpty || parsedArticles.contains { !$0.rendered.references.isEmpty }
            ? ArticleLinks(
                articles: Dictionary(parsedArticles.map { ($0.contentPath, $0) }) { first, _ in first },
                assets: Set(assets.map(\.contentPath)),
                sections: Set(sectionIndex.keys.map { $0.joined(separator: "/") }),
                placedURLs: placements.mapValues(\.url))
            : nil
        // The loader hands articles over in content path order already.
        let ordered =
            parsedArticles.indices.dropFirst().allSatisfy {
                parsedArticles[$0 - 1].contentPath < parsedArticles[$0].contentPath
            }
            ? parsedArticles : parsedArticles.sorted { $0.contentPath < $1.contentPath }
        var patching = Site.Patching(links: links)
        var assetPaths: Set<String>?
        var heldBack: [HeldBackArticle] = []
        let heldBackDateFormat = DateFormat("yyyy-MM-dd HH:mm")!
        for parsed in ordered {
            let frontMatter = parsed.frontMatter
            if frontMatter.draft && !filter.includeDrafts {
                heldBack.append(HeldBackArticle(file: parsed.file, reason: .draft))
                continue
            }
            if frontMatter.date > filter.now && !filter.includeFuture {
                patching.earliestFuture = min(patching.earliestFuture ?? frontMatter.date, frontMatter.date)
                let date = heldBackDateFormat.string(from: frontMatter.date, in: settings.timeZone)
                heldBack.append(HeldBackArticle(file: parsed.file, reason: .future(date: date)))
                continue
            }
            guard let section = sectionIndex[parsed.directory] else {
                diagnostics.append(
                    Diagnostic(
                        .sectionWithoutIndex, at: .init(file: parsed.file),
                        "文章所在的目录“\(parsed.directory.joined(separator: "/"))”没有 _index.md",
                        hint: "在这个目录里建一个 _index.md，写上 title（栏目名称），例如 title: 市县动态"))
                continue
            }
            if let problem = parsed.slugProblem {
                diagnostics.append(problem)
                continue
            }
            let resolved = watchdog.watch(parsed.file) { links?.resolve(parsed) ?? .init() }
            diagnostics += resolved.diagnostics
            if !frontMatter.attachments.isEmpty {
                if assetPaths == nil { assetPaths = links?.assets ?? Set(assets.map(\.contentPath)) }
                diagnostics += Attachments.missing(in: parsed, assets: assetPaths!)
            }
            if keepPatching {
                patching.linkedPaths.formUnion(resolved.targetPaths)
                patching.articleIndex[parsed.contentPath] = articles.count
            }
            articles.append(
                Article(
                    parsed, section: section, linkTargets: resolved.targets, linkURLs: resolved.replacements,
                    placement: placements[parsed.contentPath]))
        }

        // Articles that cannot be published have their links checked all the same: every problem of a file in one run.
        if let links { for body in unpublishable { diagnostics += links.resolve(body).diagnostics } }
        let redirects = Self.redirects(sections: sections, parsedSections: parsedSections, articles: articles)
        diagnostics += redirects.diagnostics
        diagnostics += duplicateURLs(
            sections: sections, articles: articles, assets: assets, redirects: redirects.redirects)
        let positions = link(&sections, articles: articles)
        var site = Site(settings: settings, sections: sections, articles: articles, positions: positions)
        site.heldBack = heldBack
        site.redirects = redirects.redirects
        site.sameOutputUntil = patching.earliestFuture
        if keepPatching { site.patching = patching }
        return (site, diagnostics)
    }

    /// Two outputs that would land on one file; compared case-insensitively and after Unicode normalisation,
    /// as a case-insensitive file system or a CDN would see them. Articles' keys are hashed once when parsed, so
    /// the common case — no collision — costs one set of integers.
    private static func duplicateURLs(
        sections: [Section], articles: [Article], assets: [(contentPath: String, file: String)],
        redirects: [Redirect] = []
    ) -> [Diagnostic] {
        // First only the hashes (each article's was worked out once, when it was read): the usual answer is "no
        // clash", found without touching 10,000 strings on every preview rebuild.
        let sectionKeys = sections.map { Permalinks.sectionPath($0.segments).precomposedForComparison }
        let assetKeys = assets.map { $0.contentPath.precomposedForComparison }
        var diagnostics = filesWherePageFoldersGo(
            sections: sections, articles: articles, assets: assets, keys: assetKeys)
        var hashes = Set<Int>(minimumCapacity: sections.count + articles.count + assets.count)
        let clash =
            sectionKeys.contains { !hashes.insert($0.hashValue).inserted }
            || articles.contains { !hashes.insert($0.collisionHash).inserted }
            || assetKeys.contains { !hashes.insert($0.hashValue).inserted }
            || redirects.contains {
                $0.outputPath.map { !hashes.insert($0.precomposedForComparison.hashValue).inserted } ?? false
            }
        guard clash else { return diagnostics }
        // A claim made by a pattern or an alias is reported where the pattern or the alias was written.
        var claims: [(key: String, url: String, file: String, at: Diagnostic.Location?)] = []
        for (section, key) in zip(sections, sectionKeys) { claims.append((key, section.url, section.file, nil)) }
        for article in articles {
            claims.append((article.collisionKey, article.url, article.file, article.placement?.patternLocation))
        }
        for (asset, key) in zip(assets, assetKeys) { claims.append((key, "/" + asset.contentPath, asset.file, nil)) }
        for redirect in redirects {
            guard let path = redirect.outputPath else { continue }
            claims.append((path.precomposedForComparison, redirect.from, redirect.location.file, redirect.location))
        }
        var claimed: [String: (file: String, url: String)] = [:]
        for claim in claims {
            if let first = claimed[claim.key] {
                if let location = claim.at {
                    diagnostics.append(
                        Diagnostic(
                            .permalinkCollision, at: location,
                            "\(claim.file) 的网址 \(claim.url) 已经属于 \(first.file)，两个页面不能用同一个网址",
                            hint: "在网址规则里加上 :id 或 :slug，给文章写上不同的 id:，或删去重复的旧网址"))
                } else {
                    diagnostics.append(
                        Diagnostic(
                            .duplicateURL, at: .init(file: claim.file),
                            "网址 \(claim.url) 已经属于 \(first.file)，两个页面不能用同一个网址",
                            hint: "修改其中一个的 slug 或文件名（大小写不同、繁简写法相同也算重复）"))
                }
            } else {
                claimed[claim.key] = (claim.file, claim.url)
            }
        }
        return diagnostics
    }

    /// Files copied as they are whose output path is a page's folder (`x` beside `x/index.html`): one would be
    /// written as a file, the other as a folder. Compared as `duplicateURLs` compares.
    private static func filesWherePageFoldersGo(
        sections: [Section], articles: [Article], assets: [(contentPath: String, file: String)], keys: [String]
    ) -> [Diagnostic] {
        guard !assets.isEmpty else { return [] }
        let assetsByKey = Dictionary(zip(keys, assets.indices)) { first, _ in first }
        let pageFile = Permalinks.pageFileSuffix.count
        var diagnostics: [Diagnostic] = []
        func check(_ folderKey: String, what: String, file: String, url: String) {
            guard let asset = assetsByKey[folderKey].map({ assets[$0] }) else { return }
            diagnostics.append(
                Diagnostic(
                    .duplicateURL, at: .init(file: asset.file),
                    "文件 \(asset.contentPath) 和\(what) \(file) 的网址 \(url) 是同一个路径：一个要写成文件，一个要写成目录",
                    hint: "给这个文件加上扩展名或改名，或\(what == "栏目" ? "给栏目目录改名" : "修改文章的 slug")（大小写不同、繁简写法相同也算重复）"))
        }
        for section in sections.dropFirst() {
            check(
                section.segments.joined(separator: "/").precomposedForComparison, what: "栏目", file: section.file,
                url: section.url)
        }
        for article in articles where article.collisionKey.hasSuffix(Permalinks.pageFileSuffix) {
            check(String(article.collisionKey.dropLast(pageFile)), what: "文章", file: article.file, url: article.url)
        }
        return diagnostics
    }

    /// An article's URL from its column's pattern; an error at the article when a part's value cannot be in a URL.
    static func place(
        _ parsed: ParsedArticle, by pattern: PermalinkPattern, columnID: String?, settings: SiteSettings
    ) -> Result<Article.Placement, Diagnostic> {
        let (local, offset) = parsed.frontMatter.date.local(in: settings.timeZone)
        func padded(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }
        let placed = Permalinks.placedArticle(pattern) { part in
            switch part {
            case .year: String(local.year)
            case .month: padded(local.month)
            case .iMonth: String(local.month)
            case .day: padded(local.day)
            case .iDay: String(local.day)
            case .slug: parsed.slug
            case .id: parsed.frontMatter.id ?? derivedID(parsed.id)
            case .columnID: columnID ?? ""
            case .page, .page0: ""
            }
        }
        if let problem = placed.segments.lazy.compactMap(URLPath.problem(with:)).first {
            return .failure(
                Diagnostic(
                    .invalidPermalinkPart, at: .init(file: parsed.file),
                    "按栏目的 permalink 生成的网址 /\(placed.segments.joined(separator: "/")) 不能用：\(problem)",
                    hint: "id 和 slug 只用字母、数字、汉字和短横线，例如 id: 4567890"))
        }
        return .success(
            Article.Placement(
                url: placed.url, outputPath: placed.path, isoDate: DateFormat.iso8601(local, offset: offset),
                baseURL: settings.baseURL, patternLocation: pattern.location))
    }

    /// The `:id` of an article without `id:`: a number of ten digits worked out from its content path (FNV-1a), so it
    /// stays the same as long as the file keeps its place and name. `lanmu import` always writes `id:`.
    static func derivedID(_ stableID: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in stableID.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(1_000_000_000 + hash % 9_000_000_000)
    }

    /// The redirect of every alias of the published articles and the sections, with an error at each alias that is
    /// not a path inside the site or that another alias already claims.
    static func redirects(sections: [Section], parsedSections: [ParsedSection], articles: [Article]) -> (
        redirects: [Redirect], diagnostics: [Diagnostic]
    ) {
        var redirects: [Redirect] = []
        var diagnostics: [Diagnostic] = []
        var claimed: [String: String] = [:]
        func add(_ aliases: [String], at location: Diagnostic.Location, to url: String, title: String) {
            for alias in aliases {
                let question = alias.firstIndex(of: "?")
                let path = question.map { String(alias[..<$0]) } ?? alias
                let target = Permalinks.aliasTarget(path)
                let parsedQuery = question.map { AliasQuery.parse(String(alias[alias.index(after: $0)...])) }
                let problem: String? =
                    if !alias.hasPrefix("/") || alias.hasPrefix("//") {
                        "不是以 / 开头的站内路径"
                    } else if alias.contains("#") {
                        "带有 #（# 后面的部分浏览器不发给服务器，去掉它）"
                    } else if case .failure(let failure)? = parsedQuery {
                        failure.message
                    } else if target.segments.contains(where: { $0 == "." || $0 == ".." }) {
                        "含有 . 或 ..，会指到站点外或别的目录"
                    } else {
                        target.segments.lazy.compactMap(URLPath.problem(with:)).first
                    }
                if let problem {
                    diagnostics.append(
                        Diagnostic(
                            .permalinkOutsideSite, at: location, "旧网址“\(alias)”不能用：\(problem)",
                            hint: "写旧网址的路径和查询参数，例如 - /art/2020/4/30/art_1229_4567890.html"
                                + " 或 - /show.asp?id=5"))
                    continue
                }
                let query: AliasQuery? = if case .success(let parsed)? = parsedQuery { parsed } else { nil }
                // An old URL with a query has no file: it is told apart by its path and arguments.
                let key =
                    query.map { target.path.precomposedForComparison + "?" + $0.comparisonKey }
                    ?? target.file.precomposedForComparison
                if let first = claimed[key] {
                    diagnostics.append(
                        Diagnostic(
                            .permalinkCollision, at: location, "旧网址“\(alias)”已经写在 \(first) 里",
                            hint: "一个旧网址只能转到一个页面：删去其中一处"))
                    continue
                }
                claimed[key] = location.file
                redirects.append(
                    Redirect(
                        from: target.path, query: query, outputPath: query == nil ? target.file : nil, to: url,
                        title: title, location: location))
            }
        }
        let parsedBySegments = Dictionary(parsedSections.map { ($0.segments, $0) }) { first, _ in first }
        for section in sections.dropFirst() {
            guard let parsed = parsedBySegments[section.segments], !parsed.frontMatter.aliases.isEmpty else { continue }
            add(
                parsed.frontMatter.aliases, at: parsed.frontMatter.aliasesLocation ?? .init(file: section.file),
                to: section.url, title: section.title)
        }
        for article in articles where !article.parsed.frontMatter.aliases.isEmpty {
            add(
                article.parsed.frontMatter.aliases,
                at: article.parsed.frontMatter.aliasesLocation ?? .init(file: article.file), to: article.url,
                title: article.title)
        }
        return (redirects, diagnostics)
    }

    /// Fills in children order and the sorted article lists of every section, and each article's place in its
    /// section's list. Articles are sorted once, newest first; every list is then filled in that order.
    private static func link(_ sections: inout [Section], articles: [Article]) -> [Int] {
        // The dates side by side first: a comparison that reaches each date through its article and its parsed
        // file misses the cache twice at a million articles.
        let seconds = articles.map(\.date.secondsSince1970)
        let newestFirst = articles.indices.sorted { a, b in
            seconds[a] != seconds[b] ? seconds[a] > seconds[b] : articles[a].contentPath < articles[b].contentPath
        }
        var pinnedOwn: [[Int]] = Array(repeating: [], count: sections.count)
        var otherOwn: [[Int]] = Array(repeating: [], count: sections.count)
        for index in newestFirst {
            let article = articles[index]
            if article.pinned {
                pinnedOwn[article.section].append(index)
            } else {
                otherOwn[article.section].append(index)
            }
            var current: Int? = article.section
            while let sectionIndex = current {
                sections[sectionIndex].allArticles.append(index)
                current = sections[sectionIndex].parent
            }
        }
        var positions = Array(repeating: 0, count: articles.count)
        let sortKeys = sections.map { ($0.weight ?? Int.max, $0.segments.last ?? "") }
        for index in sections.indices {
            let pinned = pinnedOwn[index]
            sections[index].articles = pinned + otherOwn[index]
            for (position, article) in sections[index].articles.enumerated() { positions[article] = position }
            let pinnedSet = Set(pinned)
            sections[index].listed =
                pinned.isEmpty
                ? sections[index].allArticles : pinned + sections[index].allArticles.filter { !pinnedSet.contains($0) }
            sections[index].children.sort { sortKeys[$0] < sortKeys[$1] }
        }
        return positions
    }
}

extension String {
    /// NFC and lower case: the form two paths share when a file system or CDN would treat them as one.
    var precomposedForComparison: String {
        (TextScan.isTriviallyPrecomposed(self) ? self : precomposedStringWithCanonicalMapping).lowercased()
    }
}
