/// The whole site after loading: its settings, its sections and its published articles, sorted and linked.
public struct Site: Sendable {
    public var settings: SiteSettings
    /// Every section; index 0 is the home page (`content/_index.md`).
    public var sections: [Section]
    /// Every published article, in content path order.
    public var articles: [Article]
    /// Where each article stands in its own section's `articles` list (for 上一篇/下一篇).
    public var positions: [Int]
    /// Drafts and future-dated articles not published, in content path order.
    public var heldBack: [HeldBackArticle] = []
    /// Old URLs (`aliases:`) and the pages they lead to, in content order; each gets a redirect page and a 301 rule.
    public var redirects: [Redirect] = []
    /// Until when the same files give the same output, when the clock matters: the earliest date of an article
    /// held back because it lies in the future (it is published from then on), or the next midnight when the
    /// settings name mourning days. Nil: the output does not depend on the clock.
    public var sameOutputUntil: PublishDate?
    /// Whether the build's day is one of the settings' `mourning_days` (哀悼日): every page is shown in grey.
    public var mourning = false
    /// The size in bytes of every file of an attachment kind below `content/`, by content path (the 附件 list).
    var attachmentSizes: [String: Int64] = [:]
    /// Generated 索引号 by article index (columns with `index_no: auto`), and the ledger that holds them.
    var indexNumbers: [Int: String] = [:]
    var indexLedger = IndexNumbers()
    /// Whether this load gave new numbers, so that the ledger must be written.
    var indexLedgerChanged = false
    /// Kept for the preview, which patches the model after an edit that changes no order or URL (see
    /// `SiteSession`); nil in a build.
    var patching: Patching?

    /// What it takes to put an article read anew into the model without building the model again.
    struct Patching: Sendable {
        /// The tables links between articles were resolved with; nil when no article had links.
        var links: ArticleLinks?
        /// Content paths that some article links to: their readers' pages depend on them.
        var linkedPaths: Set<String> = []
        /// The earliest date of an article held back because it lies in the future: once the clock reaches it,
        /// the model must be built again.
        var earliestFuture: PublishDate?
        /// Published articles by content path: their index in `articles`.
        var articleIndex: [String: Int] = [:]
    }

    init(settings: SiteSettings, sections: [Section], articles: [Article], positions: [Int]) {
        self.settings = settings
        self.sections = sections
        self.articles = articles
        self.positions = positions
    }

    /// The sections that lead from the home page down to a section, the home page first.
    public func ancestry(of sectionIndex: Int) -> [Int] {
        var chain: [Int] = []
        var current: Int? = sectionIndex
        while let index = current {
            chain.append(index)
            current = sections[index].parent
        }
        return chain.reversed()
    }
}

/// A folder of content with an `_index.md`: the home page, a topic or a column.
public struct Section: Sendable {
    /// Folder names from `content/` down; empty for the home page.
    public var segments: [String]
    public var title: String
    public var description: String?
    /// Articles per list page.
    public var paginate: Int
    /// The `_index.md` as shown in diagnostics.
    public var file: String
    var weight: Int?
    /// The column's kind for the inspection (`kind:`), where it was written, and its own window (`update_days:`).
    var kind: String?
    var kindLocation: Diagnostic.Location?
    var updateDays: Int?
    /// The column's URL patterns for its own articles and its further list pages (`permalink:`, `pager:`).
    var permalink: PermalinkPattern?
    var pager: PermalinkPattern?
    /// The column's number in the old CMS (`id:`), the pattern part `:column_id`.
    var columnID: String?
    /// `keywords:` of the `_index.md` (the page metadata's `ColumnKeywords`).
    var keywords: [String] = []
    /// Where `index_no: auto` was written, when it was: its articles get generated 索引号.
    var autoIndexNumbers: Diagnostic.Location?
    public var parent: Int?
    /// Changes whenever the `_index.md` is read anew.
    var revision = 0
    /// The `_index.md`'s bytes and path as a digest, the same in every run (0 for the home page: the settings).
    var digest: UInt64 = 0
    /// Child sections in navigation order.
    public var children: [Int] = []
    /// The section's own articles in list order: pinned first, then newest first.
    public var articles: [Int] = []
    /// Every article at or below the section, newest first.
    public var allArticles: [Int] = []
    /// The order of the section's list pages: its own pinned articles, then everything below it, newest first.
    public var listed: [Int] = []

    /// The section's URL path, e.g. `/sanfuwu/shixian/` (segments percent-encoded).
    public let url: String

    init(
        segments: [String], title: String, description: String?, paginate: Int, file: String, weight: Int? = nil,
        parent: Int? = nil, revision: Int = 0
    ) {
        self.segments = segments
        self.title = title
        self.description = description
        self.paginate = paginate
        self.file = file
        self.weight = weight
        self.parent = parent
        self.revision = revision
        self.url = Permalinks.sectionURL(segments)
    }

    /// The number of list pages (at least one).
    public var pageCount: Int { max(1, (listed.count + paginate - 1) / paginate) }
}

/// A published article: its parsed file (shared, never copied) and the section it was placed in.
public final class Article: Sendable {
    let parsed: ParsedArticle
    /// The index of its section in `Site.sections`.
    public let section: Int

    /// A fingerprint of the articles it links to: when one changes, its page is rendered again.
    let linkTargets: Int
    /// The URLs put in for links to other articles when the body is given back for its page (`BodyStore.html`).
    let linkURLs: [(placeholder: String, url: String)]
    /// Where the column's `permalink:` pattern puts the article; nil for the usual `/<topic>/<column>/<slug>/`.
    let placement: Placement?

    init(
        _ parsed: ParsedArticle, section: Int, linkTargets: Int = 0,
        linkURLs: [(placeholder: String, url: String)] = [],
        placement: Placement? = nil
    ) {
        self.parsed = parsed
        self.section = section
        self.linkTargets = linkTargets
        self.linkURLs = linkURLs
        self.placement = placement
    }

    /// An article's URL, file and site-map line as its column's pattern makes them (see `Permalinks.placedArticle`).
    struct Placement: Sendable {
        let url: String
        let outputPath: String
        let collisionKey: String
        let collisionHash: Int
        let sitemapEntry: String
        let sitemapHash: Int
        /// The `permalink:` line, where a collision is reported.
        let patternLocation: Diagnostic.Location

        init(url: String, outputPath: String, isoDate: String, baseURL: String?, patternLocation: Diagnostic.Location) {
            self.url = url
            self.outputPath = outputPath
            collisionKey = outputPath.precomposedForComparison
            collisionHash = collisionKey.hashValue
            sitemapEntry = XMLDocuments.sitemapEntry(url: url, isoDate: isoDate, baseURL: baseURL)
            sitemapHash = sitemapEntry.hashValue
            self.patternLocation = patternLocation
        }
    }

    /// Path below `content/`, e.g. `sanfuwu/shixian/jiaoliu.md`.
    public var contentPath: String { parsed.contentPath }
    /// The file as shown in diagnostics.
    public var file: String { parsed.file }
    /// The last URL segment: the `slug` front matter, else the file name without `.md`.
    public var slug: String { parsed.slug }
    /// A stable identifier for the view counter: the content path without `.md`.
    public var id: String { parsed.id }
    public var title: String { parsed.frontMatter.title }
    public var date: PublishDate { parsed.frontMatter.date }
    public var source: String? { parsed.frontMatter.source }
    public var author: String? { parsed.frontMatter.author }
    public var editor: String? { parsed.frontMatter.editor }
    /// The `summary` front matter, else the opening text cut at about 120 characters.
    public var summary: String { parsed.summary }
    public var tags: [String] { parsed.frontMatter.tags }
    public var pinned: Bool { parsed.frontMatter.pinned }
    public var draft: Bool { parsed.frontMatter.draft }
    /// Folder names of the section, then the slug.
    public var segments: [String] { parsed.directory + [parsed.slug] }
    /// The article's URL path, e.g. `/sanfuwu/shixian/jiaoliu/`.
    public var url: String { placement?.url ?? parsed.url }
    /// The page's file below the output root.
    var outputPath: String { placement?.outputPath ?? parsed.outputPath }
    /// The article's `<url>` line of the site map, and its hash.
    var sitemapEntry: String { placement?.sitemapEntry ?? parsed.sitemapEntry }
    var sitemapHash: Int { placement?.sitemapHash ?? parsed.sitemapHash }
    /// Changes whenever the file is read anew.
    var revision: Int { parsed.revision }
    /// What was parsed from the file, the same in every run (`ParsedArticle.digest`).
    var digest: UInt64 { parsed.digest }
    /// The output file in the form colliding names share.
    var collisionKey: String { placement?.collisionKey ?? parsed.collisionKey }
    var collisionHash: Int { placement?.collisionHash ?? parsed.collisionHash }
}

/// An old URL (`aliases:`) of an article or a column, and where it now leads.
public struct Redirect: Sendable, Equatable {
    /// The old path, percent-decoded, as nginx matches it: `/art/2020/4/30/art_1229_4567890.html`.
    public var from: String
    /// The old URL's query (`id=5` of `/show.asp?id=5`), matched by the nginx rule only.
    var query: AliasQuery?
    /// The redirect page's file below the output root; nil for an old URL with a query, which a file cannot stand
    /// for (only the nginx rule answers it).
    public var outputPath: String?
    /// The new URL (percent-encoded path).
    public var to: String
    /// The title of the page it leads to.
    public var title: String
    /// Where the alias was written.
    var location: Diagnostic.Location

    /// The old URL as written in `counter-ids.txt`: the decoded path, then the query.
    var oldURL: String { from + (query.map { "?" + $0.text } ?? "") }
}
