import Foundation

/// The data each template sees: plain dictionaries made for the templates (not the model types), built from
/// the site model. Every key is listed in `TemplateVocabulary` and documented in the README.
/// The parts many pages share are made once, as `SharedContext`s.
struct PageContexts: @unchecked Sendable {
    let site: Site
    private let siteContext: SharedContext
    /// Navigation entries with `current` set for each top-level topic (index into `site.sections`), and none.
    private let navigationByTopic: [Int: SharedContext]
    /// Each section's details, by index into `site.sections`.
    private let sections: [SharedContext]
    /// Each section's breadcrumb: on its list pages (the last entry marked) and on its articles' pages.
    private let breadcrumbs: [(list: SharedContext, article: SharedContext)]
    /// Each article's entry in lists, made the first time a list shows it and kept (most articles are on two or
    /// three lists: their column's, their topic's, the home page's). Nil above 200,000 articles, where the entries
    /// would hold about a gigabyte.
    private let listItems: ListItemCache?
    /// The keys the templates use (`PageSkeletons.used`), for the shared parts' shapes.
    private let used: Set<String>?
    /// The keys of an article page's data that the templates use, in the order `PageSkeletons` sorts them.
    private let articlePageKeys: (root: [ArticlePageKey], article: [ArticleKey], page: [PageKey], link: [LinkKey])
    /// The same for list pages.
    private let listPageKeys: (root: [ListPageKey], pager: [PagerKey], number: [PagerNumberKey], item: [ListItemKey])

    /// - Parameters:
    ///   - keepingListItemsUpTo: above this many articles, list entries are made for each list anew.
    ///   - used: the keys the templates use; nil: all.
    init(site: Site, keepingListItemsUpTo limit: Int = 200_000, used: Set<String>? = nil) {
        self.site = site
        self.used = used
        func kept<Key: RawRepresentable<String> & CaseIterable>(_: Key.Type) -> [Key] {
            Key.allCases.filter { used?.contains($0.rawValue) ?? true }
        }
        self.articlePageKeys = (
            kept(ArticlePageKey.self), kept(ArticleKey.self), kept(PageKey.self), kept(LinkKey.self)
        )
        self.listPageKeys = (
            kept(ListPageKey.self), kept(PagerKey.self), kept(PagerNumberKey.self), kept(ListItemKey.self)
        )
        let settings = site.settings
        var siteContext: [String: Any] = [
            "name": settings.siteName, "title": settings.homeTitle, "description": settings.description,
            "language": settings.language, "counter_placeholder": settings.counterPlaceholder, "url": "/",
            "feed_url": "/index.xml", "assets_url": "/assets/",
        ]
        let optionals: [(String, String?)] = [
            ("base_url", settings.baseURL), ("counter_url", settings.counterURL), ("organizer", settings.organizer),
            ("address", settings.address), ("phone", settings.phone), ("site_code", settings.siteCode),
            ("icp", settings.icp), ("police_record", settings.policeRecord),
        ]
        for (key, value) in optionals { if let value { siteContext[key] = value } }
        self.siteContext = SharedContext(siteContext, used: used, bakes: true)
        let topics = site.sections[0].children
        var navigation: [Int: SharedContext] = [:]
        for current in [0] + topics {
            let entries: [[String: Any]] =
                [["title": settings.homeTitle, "url": "/", "current": current == 0]]
                + topics.map {
                    ["title": site.sections[$0].title, "url": site.sections[$0].url, "current": $0 == current]
                }
            navigation[current] = SharedContext(entries, used: used, bakes: true)
        }
        self.navigationByTopic = navigation
        self.sections = site.sections.indices.map {
            SharedContext(Self.sectionContext($0, in: site), used: used, bakes: true)
        }
        self.listItems = site.articles.count <= limit ? ListItemCache(count: site.articles.count) : nil
        self.breadcrumbs = site.sections.indices.map {
            (
                SharedContext(Self.breadcrumb($0, lastMarked: true, in: site), used: used, bakes: true),
                SharedContext(Self.breadcrumb($0, lastMarked: false, in: site), used: used, bakes: true)
            )
        }
    }

    // MARK: Pages

    /// The home page: the newest articles of each column, grouped by topic.
    func home() -> [String: Any] {
        let home = site.sections[0]
        let items = site.settings.homeItems
        var context = common(section: 0, title: site.settings.siteName, url: "/", kind: "home")
        context["topics"] = home.children.map { topicIndex -> [String: Any] in
            let topic = site.sections[topicIndex]
            let columns = topic.children.isEmpty ? [topicIndex] : topic.children
            return [
                "title": topic.title, "url": topic.url, "feed_url": topic.url + "index.xml",
                "articles": listItems(topic.listed.prefix(items)),
                "columns": columns.map { index -> [String: Any] in
                    let column = site.sections[index]
                    return [
                        "title": column.title, "url": column.url, "feed_url": column.url + "index.xml",
                        "articles": listItems(column.listed.prefix(items)),
                    ]
                },
            ]
        }
        context["latest"] = listItems(home.allArticles.prefix(items))
        context["page"] = page(
            title: site.settings.siteName, url: "/", kind: "home", description: site.settings.description)
        return context
    }

    /// List page `number` (from 1) of a section.
    func list(section index: Int, page number: Int) -> [String: Any] {
        let section = site.sections[index]
        let start = (number - 1) * section.paginate
        let items = listItems(section.listed.dropFirst(start).prefix(section.paginate))
        let url = Self.listURL(section, page: number)
        let title = number == 1 ? section.title : "\(section.title)（第 \(number) 页）"
        var context = common(section: index, title: title, url: url, kind: "list")
        context["section"] = sections[index]
        context["articles"] = items
        context["pager"] = pager(section, current: number)
        context["page"] = page(title: title, url: url, kind: "list", description: section.description ?? section.title)
        return context
    }

    /// An article page, with 上一篇/下一篇 in its column's list order.
    func article(_ index: Int, html: String? = nil) -> [String: Any] {
        let article = site.articles[index]
        let siblings = site.sections[article.section].articles
        var context = common(section: article.section, title: article.title, url: article.url, kind: "article")
        context["article"] = articleContext(index, html: html)
        context["section"] = sections[article.section]
        let position = site.positions[index]
        if position > 0 { context["prev"] = link(siblings[position - 1]) }
        if position + 1 < siblings.count { context["next"] = link(siblings[position + 1]) }
        context["page"] = page(title: article.title, url: article.url, kind: "article", description: article.summary)
        return context
    }

    // MARK: Article pages written straight into their shape

    /// The keys of an article page's data, of its `article`, of its `page` and of `prev`/`next`, each in sorted
    /// order (`PageContextsTests` holds them sorted and equal to the dictionaries' keys).
    enum ArticlePageKey: String, CaseIterable {
        case article, breadcrumb, nav, next, page, prev, section, site
    }

    enum ArticleKey: String, CaseIterable {
        case author, content, date
        case dateISO = "date_iso"
        case editor, id
        case listDate = "list_date"
        case pinned
        case readingMinutes = "reading_minutes"
        case source, summary, tags, title, url
        case wordCount = "word_count"
    }

    enum PageKey: String, CaseIterable {
        case canonical, description
        case isArticle = "is_article"
        case isHome = "is_home"
        case isList = "is_list"
        case kind, title, url
    }

    enum LinkKey: String, CaseIterable {
        case title, url
    }

    enum ListPageKey: String, CaseIterable {
        case articles, breadcrumb, nav, page, pager, section, site
    }

    enum PagerKey: String, CaseIterable {
        case current
        case firstURL = "first_url"
        case hasNext = "has_next"
        case hasPrev = "has_prev"
        case lastURL = "last_url"
        case multiple
        case nextURL = "next_url"
        case numbers, pages
        case prevURL = "prev_url"
        case total
    }

    enum PagerNumberKey: String, CaseIterable {
        case current, number, url
    }

    /// The keys of an article's entry in a list (`listItem(_:)`).
    enum ListItemKey: String, CaseIterable {
        case date
        case dateISO = "date_iso"
        case pinned, source, summary, title, url
    }

    /// Writes `list(section:page:)`'s shape and strings as `PageSkeletons` would flatten them, without the
    /// dictionaries; false when they cannot be in a skeleton.
    func writeList(section index: Int, page number: Int, into writer: inout PageSkeletons.Writer) -> Bool {
        let section = site.sections[index]
        let indices = section.listed.dropFirst((number - 1) * section.paginate).prefix(section.paginate)
        let url = Self.listURL(section, page: number)
        let title = number == 1 ? section.title : "\(section.title)（第 \(number) 页）"
        let keys = listPageKeys
        writer.openDictionary()
        for key in keys.root {
            writer.key(key.rawValue)
            switch key {
            case .articles:
                if let listItems {
                    writer.openList()
                    for item in indices {
                        guard writer.shared(listItems.item(item) { SharedContext(listItem(item), used: used) }) else {
                            return false
                        }
                    }
                    writer.closeList()
                } else {
                    writer.openList()
                    for item in indices { writeListItem(item, keys: keys.item, into: &writer) }
                    writer.closeList()
                }
            case .breadcrumb:
                guard writer.shared(breadcrumbs[index].list) else { return false }
            case .nav:
                guard writer.shared(navigation(section: index)) else { return false }
            case .page:
                writePage(
                    title: title, url: url, description: section.description ?? section.title, kind: "list",
                    keys: articlePageKeys.page, into: &writer)
            case .pager:
                writePager(section, current: number, into: &writer)
            case .section:
                guard writer.shared(sections[index]) else { return false }
            case .site:
                guard writer.shared(siteContext) else { return false }
            }
        }
        writer.closeDictionary()
        return true
    }

    /// `pager(_:current:)`, written.
    private func writePager(_ section: Section, current: Int, into writer: inout PageSkeletons.Writer) {
        let pages = section.pageCount
        let (low, high) = Self.pagerWindow(pages: pages, current: current)
        writer.openDictionary()
        for key in listPageKeys.pager {
            let name = key.rawValue
            switch key {
            case .current: writer.entry(name, number: current)
            case .firstURL: writer.entry(name, Self.listURL(section, page: 1))
            case .hasNext: writer.entry(name, flag: current < pages)
            case .hasPrev: writer.entry(name, flag: current > 1)
            case .lastURL: writer.entry(name, Self.listURL(section, page: pages))
            case .multiple: writer.entry(name, flag: pages > 1)
            case .nextURL: writer.entry(name, current < pages ? Self.listURL(section, page: current + 1) : nil)
            case .numbers:
                writer.key(name)
                writer.openList()
                for page in low...high {
                    writer.openDictionary()
                    for numberKey in listPageKeys.number {
                        switch numberKey {
                        case .current: writer.entry(numberKey.rawValue, flag: page == current)
                        case .number: writer.entry(numberKey.rawValue, number: page)
                        case .url: writer.entry(numberKey.rawValue, Self.listURL(section, page: page))
                        }
                    }
                    writer.closeDictionary()
                }
                writer.closeList()
            case .pages: writer.entry(name, number: pages)
            case .prevURL: writer.entry(name, current > 1 ? Self.listURL(section, page: current - 1) : nil)
            case .total: writer.entry(name, number: section.listed.count)
            }
        }
        writer.closeDictionary()
    }

    /// Writes `article(index, html:)`'s shape and strings as `PageSkeletons` would flatten them, without making the
    /// dictionaries (an article page's data were a fifth of its rendering); false when they cannot be in a skeleton.
    func writeArticle(_ index: Int, html: String?, into writer: inout PageSkeletons.Writer) -> Bool {
        let article = site.articles[index]
        let siblings = site.sections[article.section].articles
        let position = site.positions[index]
        let keys = articlePageKeys
        writer.openDictionary()
        for key in keys.root {
            switch key {
            case .article:
                writer.key(key.rawValue)
                writeArticleContext(article, html: html, keys: keys.article, into: &writer)
            case .breadcrumb:
                writer.key(key.rawValue)
                guard writer.shared(breadcrumbs[article.section].article) else { return false }
            case .nav:
                writer.key(key.rawValue)
                guard writer.shared(navigation(section: article.section)) else { return false }
            case .next:
                guard position + 1 < siblings.count else { continue }
                writer.key(key.rawValue)
                writeLink(siblings[position + 1], keys: keys.link, into: &writer)
            case .page:
                writer.key(key.rawValue)
                writePage(
                    title: article.title, url: article.url, description: article.summary, kind: "article",
                    keys: keys.page, into: &writer
                )
            case .prev:
                guard position > 0 else { continue }
                writer.key(key.rawValue)
                writeLink(siblings[position - 1], keys: keys.link, into: &writer)
            case .section:
                writer.key(key.rawValue)
                guard writer.shared(sections[article.section]) else { return false }
            case .site:
                writer.key(key.rawValue)
                guard writer.shared(siteContext) else { return false }
            }
        }
        writer.closeDictionary()
        return true
    }

    private func writeArticleContext(
        _ article: Article, html: String?, keys: [ArticleKey], into writer: inout PageSkeletons.Writer
    ) {
        let statistics = article.parsed.rendered.statistics
        writer.openDictionary()
        for key in keys {
            let name = key.rawValue
            switch key {
            case .author: writer.entry(name, article.author)
            case .content: writer.entry(name, html ?? article.html)
            case .date: writer.entry(name, article.parsed.dateText)
            case .dateISO: writer.entry(name, article.parsed.isoDate)
            case .editor: writer.entry(name, article.editor)
            case .id: writer.entry(name, article.id)
            case .listDate: writer.entry(name, article.parsed.listDateText)
            case .pinned: writer.entry(name, flag: article.pinned)
            case .readingMinutes: writer.entry(name, number: statistics.readingMinutes)
            case .source: writer.entry(name, source(of: article))
            case .summary: writer.entry(name, article.summary)
            case .tags:
                writer.key(name)
                // An array of text dictionaries: always shaped (`flatten` refuses only unknown types).
                _ = writer.value(article.tags.map { ["name": $0] }, used: used)
            case .title: writer.entry(name, article.title)
            case .url: writer.entry(name, article.url)
            case .wordCount: writer.entry(name, number: statistics.total)
            }
        }
        writer.closeDictionary()
    }

    /// `listItem(_:)`, written (list entries are not kept above `keepingListItemsUpTo` articles: a million-article
    /// site writes some two million of them).
    private func writeListItem(_ index: Int, keys: [ListItemKey], into writer: inout PageSkeletons.Writer) {
        let article = site.articles[index]
        writer.openDictionary()
        for key in keys {
            let name = key.rawValue
            switch key {
            case .date: writer.entry(name, article.parsed.listDateText)
            case .dateISO: writer.entry(name, article.parsed.isoDate)
            case .pinned: writer.entry(name, flag: article.pinned)
            case .source: writer.entry(name, source(of: article))
            case .summary: writer.entry(name, article.summary)
            case .title: writer.entry(name, article.title)
            case .url: writer.entry(name, article.url)
            }
        }
        writer.closeDictionary()
    }

    private func writeLink(_ index: Int, keys: [LinkKey], into writer: inout PageSkeletons.Writer) {
        let article = site.articles[index]
        writer.openDictionary()
        for key in keys { writer.entry(key.rawValue, key == .title ? article.title : article.url) }
        writer.closeDictionary()
    }

    private func writePage(
        title: String, url: String, description: String, kind: String, keys: [PageKey],
        into writer: inout PageSkeletons.Writer
    ) {
        writer.openDictionary()
        for key in keys {
            let name = key.rawValue
            switch key {
            case .canonical: writer.entry(name, site.settings.baseURL.map { $0 + url })
            case .description: writer.entry(name, description)
            case .isArticle: writer.entry(name, flag: kind == "article")
            case .isHome: writer.entry(name, flag: kind == "home")
            case .isList: writer.entry(name, flag: kind == "list")
            case .kind: writer.entry(name, kind)
            case .title: writer.entry(name, title)
            case .url: writer.entry(name, url)
            }
        }
        writer.closeDictionary()
    }

    static func listURL(_ section: Section, page number: Int) -> String {
        number == 1 ? section.url : section.url + "page/\(number)/"
    }

    // MARK: Pieces

    private func common(section index: Int, title: String, url: String, kind: String) -> [String: Any] {
        let breadcrumb = kind == "list" || kind == "home" ? breadcrumbs[index].list : breadcrumbs[index].article
        return ["site": siteContext, "nav": navigation(section: index), "breadcrumb": breadcrumb]
    }

    /// The navigation with the topic a section belongs to marked (the home page's for the home page).
    private func navigation(section index: Int) -> SharedContext {
        let chain = site.ancestry(of: index)
        // Made for the home page and every topic, and a chain's second section is always a topic.
        return navigationByTopic[chain.count > 1 ? chain[1] : 0]!
    }

    /// The chain of sections from home to this one; `lastMarked` marks the last entry (list and home pages).
    private static func breadcrumb(_ index: Int, lastMarked: Bool, in site: Site) -> [[String: Any]] {
        let chain = site.ancestry(of: index)
        return chain.enumerated().map { position, sectionIndex in
            let section = site.sections[sectionIndex]
            return [
                "title": section.title, "url": section.url, "first": position == 0,
                "last": lastMarked && position == chain.count - 1,
            ]
        }
    }

    private func page(title: String, url: String, kind: String, description: String) -> [String: Any] {
        var page: [String: Any] = [
            "title": title, "url": url, "kind": kind, "description": description,
            "is_home": kind == "home", "is_list": kind == "list", "is_article": kind == "article",
        ]
        if let base = site.settings.baseURL { page["canonical"] = base + url }
        return page
    }

    private static func sectionContext(_ index: Int, in site: Site) -> [String: Any] {
        let section = site.sections[index]
        var context: [String: Any] = [
            "title": section.title, "url": section.url, "feed_url": section.url + "index.xml",
            "total": section.allArticles.count, "has_children": !section.children.isEmpty,
            "children": section.children.map { ["title": site.sections[$0].title, "url": site.sections[$0].url] },
        ]
        if let description = section.description { context["description"] = description }
        return context
    }

    /// The list entries of these articles: `[SharedContext]`, or `[[String: Any]]` when they are not kept.
    private func listItems(_ indices: ArraySlice<Int>) -> Any {
        guard let listItems else { return indices.map(listItem) }
        return indices.map { index in listItems.item(index) { SharedContext(listItem(index), used: used) } }
    }

    private func listItem(_ index: Int) -> [String: Any] {
        let article = site.articles[index]
        return [
            "title": article.title, "url": article.url, "summary": article.summary, "pinned": article.pinned,
            "date": article.parsed.listDateText, "date_iso": article.parsed.isoDate,
            "source": source(of: article),
        ]
    }

    private func link(_ index: Int) -> [String: Any] {
        ["title": site.articles[index].title, "url": site.articles[index].url]
    }

    private func articleContext(_ index: Int, html: String?) -> [String: Any] {
        let article = site.articles[index]
        var context: [String: Any] = [
            "title": article.title, "url": article.url, "id": article.id, "summary": article.summary,
            "content": html ?? article.html, "pinned": article.pinned,
            "date": article.parsed.dateText, "list_date": article.parsed.listDateText,
            "date_iso": article.parsed.isoDate,
            "source": source(of: article),
            "tags": article.tags.map { ["name": $0] },
            "word_count": article.parsed.rendered.statistics.total,
            "reading_minutes": article.parsed.rendered.statistics.readingMinutes,
        ]
        if let author = article.author { context["author"] = author }
        if let editor = article.editor { context["editor"] = editor }
        return context
    }

    /// 信息来源: the article's, else the site's default, else the site's name.
    private func source(of article: Article) -> String {
        article.source ?? site.settings.defaultSource ?? site.settings.siteName
    }

    /// The page numbers the pager shows: seven around the current page.
    private static func pagerWindow(pages: Int, current: Int) -> (low: Int, high: Int) {
        let window = 7
        var low = max(1, current - window / 2)
        let high = min(pages, low + window - 1)
        low = max(1, high - window + 1)
        return (low, high)
    }

    private func pager(_ section: Section, current: Int) -> [String: Any] {
        let pages = section.pageCount
        let (low, high) = Self.pagerWindow(pages: pages, current: current)
        var context: [String: Any] = [
            "total": section.listed.count, "current": current, "pages": pages, "multiple": pages > 1,
            "first_url": Self.listURL(section, page: 1), "last_url": Self.listURL(section, page: pages),
            "has_prev": current > 1, "has_next": current < pages,
            "numbers": (low...high).map {
                ["number": $0, "url": Self.listURL(section, page: $0), "current": $0 == current]
            },
        ]
        if current > 1 { context["prev_url"] = Self.listURL(section, page: current - 1) }
        if current < pages { context["next_url"] = Self.listURL(section, page: current + 1) }
        return context
    }
}

/// Shared contexts by index, made on first use by whichever thread asks first.
private final class ListItemCache: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [SharedContext?]

    init(count: Int) { items = Array(repeating: nil, count: count) }

    func item(_ index: Int, make: () -> SharedContext) -> SharedContext {
        if let item = lock.withLock({ items[index] }) { return item }
        let made = make()
        return lock.withLock {
            if let item = items[index] { return item }  // another thread made it meanwhile: the same value
            items[index] = made
            return made
        }
    }
}
