import Foundation

/// The data each template sees: plain dictionaries made for the templates (not the model types), built from
/// the site model. Every key is a `TemplateKey` and documented in the README.
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
    /// The keys the templates use (`PageSkeletons.used`); nil: all.
    private let used: Set<String>?

    /// - Parameters:
    ///   - keepingListItemsUpTo: above this many articles, list entries are made for each list anew.
    ///   - used: the keys the templates use; nil: all.
    init(site: Site, keepingListItemsUpTo limit: Int = 200_000, used: Set<String>? = nil) {
        self.site = site
        self.used = used
        let settings = site.settings
        self.siteContext = SharedContext(
            TemplateDictionary.make(used: used) { Self.writeSite(settings, mourning: site.mourning, into: &$0) },
            used: used, bakes: true)
        let topics = site.sections[0].children
        var navigation: [Int: SharedContext] = [:]
        for current in [0] + topics {
            let entries = TemplateDictionary.list(used: used, [0] + topics) { entry, topic in
                entry.flag(.current, topic == current)
                entry.text(.title, topic == 0 ? settings.homeTitle : site.sections[topic].title)
                entry.text(.url, site.sections[topic].url)
            }
            navigation[current] = SharedContext(entries, used: used, bakes: true)
        }
        self.navigationByTopic = navigation
        self.sections = site.sections.indices.map { index in
            SharedContext(
                TemplateDictionary.make(used: used) { Self.writeSection(index, in: site, into: &$0) }, used: used,
                bakes: true)
        }
        self.listItems = site.articles.count <= limit ? ListItemCache(count: site.articles.count) : nil
        self.breadcrumbs = site.sections.indices.map {
            (
                SharedContext(Self.breadcrumb($0, lastMarked: true, in: site, used: used), used: used, bakes: true),
                SharedContext(Self.breadcrumb($0, lastMarked: false, in: site, used: used), used: used, bakes: true)
            )
        }
    }

    // MARK: Page kinds
    //
    // Each page kind declares its data once, as calls on a `TemplateDataSink`, keys in sorted order: the dictionaries
    // swift-mustache renders and the skeletons' shapes and strings both come from it. Adding a template variable is a
    // case in `TemplateKey` and a line here (and its line in the README, which a test checks).

    /// The home page: the newest articles of each column, grouped by topic.
    func writeHome<Sink: TemplateDataSink>(into sink: inout Sink) {
        let home = site.sections[0]
        let items = site.settings.homeItems
        sink.shared(.breadcrumb, breadcrumbs[0].list)
        writeListItems(.latest, home.allArticles.prefix(items), pinnedIn: nil, into: &sink)
        sink.shared(.nav, navigation(section: 0))
        sink.object(.page) { page in
            writePage(
                title: site.settings.siteName, url: Permalinks.homeURL, kind: "home",
                description: site.settings.description, meta: PageMetadata.site(site.settings), into: &page)
        }
        sink.shared(.site, siteContext)
        sink.objects(.topics, home.children) { topic, topicIndex in
            let section = site.sections[topicIndex]
            writeListItems(.articles, section.listed.prefix(items), pinnedIn: topicIndex, into: &topic)
            topic.objects(.columns, section.children.isEmpty ? [topicIndex] : section.children) { column, index in
                let section = site.sections[index]
                writeListItems(.articles, section.listed.prefix(items), pinnedIn: index, into: &column)
                column.text(.feedURL, section.feedURL)
                column.text(.title, section.title)
                column.text(.url, section.url)
            }
            topic.text(.feedURL, section.feedURL)
            topic.text(.title, section.title)
            topic.text(.url, section.url)
        }
    }

    /// List page `number` (from 1) of a section.
    func writeList<Sink: TemplateDataSink>(section index: Int, page number: Int, into sink: inout Sink) {
        let section = site.sections[index]
        let url = section.listURL(page: number)
        let title = number == 1 ? section.title : "\(section.title)（第 \(number) 页）"
        writeListItems(
            .articles, section.listed.dropFirst((number - 1) * section.paginate).prefix(section.paginate),
            pinnedIn: index, into: &sink)
        sink.shared(.breadcrumb, breadcrumbs[index].list)
        sink.shared(.nav, navigation(section: index))
        sink.object(.page) { page in
            writePage(
                title: title, url: url, kind: "list", description: section.description ?? section.title,
                meta: PageMetadata.list(section, settings: site.settings), into: &page)
        }
        sink.object(.pager) { pager in writePager(section, current: number, into: &pager) }
        sink.shared(.section, sections[index])
        sink.shared(.site, siteContext)
    }

    /// An article page, with 上一篇/下一篇 in its column's list order.
    /// - Parameter html: the body, with its links' URLs (`BodyStore.html(for:)`).
    func writeArticle<Sink: TemplateDataSink>(_ index: Int, html: String, into sink: inout Sink) {
        let article = site.articles[index]
        let siblings = site.sections[article.section].articles
        let position = site.positions[index]
        sink.object(.article) { fields in
            let statistics = article.parsed.rendered.statistics
            let information = article.parsed.frontMatter.information
            let indexNumber = information.indexNumber ?? site.indexNumbers[index]
            let attachments = Attachments.list(for: article.parsed)
            fields.objects(.attachments, attachments.enumerated()) { entry, item in
                entry.number(.number, item.offset + 1)
                entry.text(.size, site.attachmentSizes[item.element.contentPath].map(Attachments.size))
                entry.text(.title, item.element.title)
                entry.text(.url, Attachments.url(item.element.contentPath))
            }
            fields.text(.author, article.author)
            fields.text(.content, html)
            fields.text(.date, article.parsed.dateText)
            fields.text(.dateISO, article.parsed.isoDate)
            fields.text(.docNo, information.documentNumber)
            fields.text(.editor, article.editor)
            fields.flag(.hasAttachments, !attachments.isEmpty)
            fields.flag(.hasInfo, !information.isEmpty || indexNumber != nil)
            fields.text(.hits, site.settings.bakedCounts.map { String($0[article.id] ?? 0) })
            fields.text(.id, article.id)
            fields.text(.indexNo, indexNumber)
            fields.text(.issuer, information.issuer)
            fields.text(.listDate, article.parsed.listDateText)
            fields.flag(.pinned, article.pinned)
            fields.number(.readingMinutes, statistics.readingMinutes)
            fields.text(.source, source(of: article))
            fields.text(.summary, article.summary)
            fields.objects(.tags, article.tags) { tag, name in tag.text(.name, name) }
            fields.text(.title, article.title)
            fields.text(.topic, information.topic)
            fields.text(.url, article.url)
            fields.text(.validity, information.validity)
            fields.number(.wordCount, statistics.total)
            fields.text(
                .writtenDate,
                information.writtenDate.map {
                    site.settings.listDateFormat.string(from: $0, in: site.settings.timeZone)
                })
        }
        sink.shared(.breadcrumb, breadcrumbs[article.section].article)
        sink.shared(.nav, navigation(section: article.section))
        if position + 1 < siblings.count {
            sink.object(.next) { link in writeLink(siblings[position + 1], into: &link) }
        }
        sink.object(.page) { page in
            writePage(
                title: article.title, url: article.url, kind: "article", description: article.summary,
                meta: PageMetadata.article(
                    article, in: site.sections[article.section], source: source(of: article), html: html,
                    settings: site.settings),
                into: &page)
        }
        if position > 0 {
            sink.object(.prev) { link in writeLink(siblings[position - 1], into: &link) }
        }
        sink.shared(.section, sections[article.section])
        sink.shared(.site, siteContext)
    }

    /// The site search results page: the page around the results, which its script fills in.
    func writeSearch<Sink: TemplateDataSink>(into sink: inout Sink) {
        sink.shared(.breadcrumb, breadcrumbs[0].article)
        sink.shared(.nav, navigation(section: 0))
        sink.object(.page) { page in
            writePage(
                title: "站内搜索", url: SearchIndex.pageURL, kind: "search", description: "\(site.settings.siteName)站内搜索",
                meta: PageMetadata.site(site.settings), into: &page)
        }
        sink.shared(.site, siteContext)
    }

    // MARK: The same data as dictionaries

    /// `writeHome`'s data as dictionaries (the first page of a shape, templates that cannot use skeletons, tests).
    func home() -> [String: Any] { TemplateDictionary.make(used: used) { writeHome(into: &$0) } }

    /// `writeList`'s data as dictionaries.
    func list(section index: Int, page number: Int) -> [String: Any] {
        TemplateDictionary.make(used: used) { writeList(section: index, page: number, into: &$0) }
    }

    /// `writeSearch`'s data as dictionaries.
    func search() -> [String: Any] { TemplateDictionary.make(used: used) { writeSearch(into: &$0) } }

    /// `writeArticle`'s data as dictionaries.
    func article(_ index: Int, html: String) -> [String: Any] {
        TemplateDictionary.make(used: used) { writeArticle(index, html: html, into: &$0) }
    }

    // MARK: Parts

    /// `site`: the site's settings.
    private static func writeSite<Sink: TemplateDataSink>(
        _ settings: SiteSettings, mourning: Bool, into site: inout Sink
    ) {
        site.text(.address, settings.address)
        site.text(.assetsURL, Permalinks.assetsURL)
        site.text(.baseURL, settings.baseURL)
        site.text(.conacID, settings.government.conacID)
        site.text(.conacURL, settings.government.conacID.map(GovernmentLinks.conac))
        site.text(.counterPlaceholder, settings.counterPlaceholder)
        site.text(.counterURL, settings.counterURL)
        site.text(.description, settings.description)
        site.text(.feedURL, Permalinks.feedURL(sectionURL: Permalinks.homeURL))
        site.flag(.hasMarks, [settings.siteCode, settings.icp, settings.policeRecord].contains { !($0 ?? "").isEmpty })
        site.text(.icp, settings.icp)
        site.text(.language, settings.language)
        site.flag(.mourning, mourning)
        site.text(.name, settings.siteName)
        site.text(.organizer, settings.organizer)
        site.text(.phone, settings.phone)
        site.text(.policeRecord, settings.policeRecord)
        site.text(.policeRecordURL, settings.policeRecord.flatMap(GovernmentLinks.policeRecord))
        site.text(.searchURL, settings.search ? SearchIndex.pageURL : nil)
        site.text(.siteCode, settings.siteCode)
        site.text(.title, settings.homeTitle)
        site.text(.undertaker, settings.government.undertaker)
        site.text(.url, Permalinks.homeURL)
    }

    /// `section`: a section's details.
    private static func writeSection<Sink: TemplateDataSink>(_ index: Int, in site: Site, into fields: inout Sink) {
        let section = site.sections[index]
        fields.objects(.children, section.children) { child, index in
            child.text(.title, site.sections[index].title)
            child.text(.url, site.sections[index].url)
        }
        fields.text(.description, section.description)
        fields.text(.feedURL, section.feedURL)
        fields.flag(.hasChildren, !section.children.isEmpty)
        fields.text(.title, section.title)
        fields.number(.total, section.allArticles.count)
        fields.text(.url, section.url)
    }

    /// `breadcrumb`: the chain of sections from home to this one; `lastMarked` marks the last entry (list and home
    /// pages).
    private static func breadcrumb(_ index: Int, lastMarked: Bool, in site: Site, used: Set<String>?) -> [[String: Any]]
    {
        let chain = site.ancestry(of: index)
        return TemplateDictionary.list(used: used, chain.enumerated()) { entry, link in
            let section = site.sections[link.element]
            entry.flag(.first, link.offset == 0)
            entry.flag(.last, lastMarked && link.offset == chain.count - 1)
            entry.text(.title, section.title)
            entry.text(.url, section.url)
        }
    }

    /// `page`: what every page has.
    private func writePage<Sink: TemplateDataSink>(
        title: String, url: String, kind: String, description: String,
        meta: @autoclosure () -> [PageMetadata.Entry], into page: inout Sink
    ) {
        let settings = site.settings
        page.text(.canonical, settings.baseURL.map { $0 + url })
        page.text(.description, description)
        page.text(
            .errorReportURL,
            settings.siteCode.map {
                GovernmentLinks.errorReport(siteCode: $0, pageURL: URLPath.absolute(url, baseURL: settings.baseURL))
            })
        page.flag(.isArticle, kind == "article")
        page.flag(.isHome, kind == "home")
        page.flag(.isList, kind == "list")
        page.text(.kind, kind)
        page.objects(.meta, meta()) { entry, pair in
            entry.text(.content, pair.content)
            entry.text(.name, pair.name)
        }
        page.text(.title, title)
        page.text(.url, url)
    }

    /// `pager`: 首页 上一页 1 2 3 … 下一页 尾页, 共 N 条.
    private func writePager<Sink: TemplateDataSink>(_ section: Section, current: Int, into pager: inout Sink) {
        let pages = section.pageCount
        let (low, high) = Self.pagerWindow(pages: pages, current: current)
        pager.number(.current, current)
        pager.text(.firstURL, section.listURL(page: 1))
        pager.flag(.hasNext, current < pages)
        pager.flag(.hasPrev, current > 1)
        pager.text(.lastURL, section.listURL(page: pages))
        pager.flag(.multiple, pages > 1)
        pager.text(.nextURL, current < pages ? section.listURL(page: current + 1) : nil)
        pager.objects(.numbers, low...high) { entry, page in
            entry.flag(.current, page == current)
            entry.number(.number, page)
            entry.text(.url, section.listURL(page: page))
        }
        pager.number(.pages, pages)
        pager.text(.prevURL, current > 1 ? section.listURL(page: current - 1) : nil)
        pager.number(.total, section.listed.count)
    }

    /// An article's entry in a list; `pinned` says it is at the top of this list for being pinned (the lists of its
    /// own section), not that it was pinned somewhere (a topic's list, which holds its columns' articles by date).
    private func writeListItem<Sink: TemplateDataSink>(_ index: Int, pinned: Bool, into entry: inout Sink) {
        let article = site.articles[index]
        entry.text(.date, article.parsed.listDateText)
        entry.text(.dateISO, article.parsed.isoDate)
        entry.text(.hits, site.settings.bakedCounts.map { String($0[article.id] ?? 0) })
        entry.text(.id, article.id)
        entry.flag(.pinned, pinned)
        entry.text(.source, source(of: article))
        entry.text(.summary, article.summary)
        entry.text(.title, article.title)
        entry.text(.url, article.url)
    }

    /// The list entries of these articles: kept shared parts, or entries made anew above `keepingListItemsUpTo`
    /// articles (a million-article site writes some two million of them).
    /// - Parameter section: the section whose list this is; its own pinned articles are marked (nil: none are).
    private func writeListItems<Sink: TemplateDataSink, Indices: Sequence<Int>>(
        _ key: TemplateKey, _ indices: Indices, pinnedIn section: Int?, into sink: inout Sink
    ) {
        let articles = site.articles
        func isPinned(_ index: Int) -> Bool { articles[index].pinned && articles[index].section == section }
        if let listItems {
            sink.sharedList(
                key,
                indices.lazy.map { index in
                    let pinned = isPinned(index)
                    return listItems.item(index, pinned: pinned) {
                        SharedContext(
                            TemplateDictionary.make(used: used) { writeListItem(index, pinned: pinned, into: &$0) },
                            used: used)
                    }
                })
        } else {
            sink.objects(key, indices) { entry, index in writeListItem(index, pinned: isPinned(index), into: &entry) }
        }
    }

    /// `prev`/`next`: a neighbour's title and URL.
    private func writeLink<Sink: TemplateDataSink>(_ index: Int, into link: inout Sink) {
        link.text(.title, site.articles[index].title)
        link.text(.url, site.articles[index].url)
    }

    /// The navigation with the topic a section belongs to marked (the home page's for the home page).
    private func navigation(section index: Int) -> SharedContext {
        let chain = site.ancestry(of: index)
        // Made for the home page and every topic, and a chain's second section is always a topic.
        return navigationByTopic[chain.count > 1 ? chain[1] : 0]!
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
}

/// Shared contexts by index, made on first use by whichever thread asks first; a pinned article has two, one marked
/// pinned (its own section's lists) and one not (the lists above it).
private final class ListItemCache: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [SharedContext?]
    private var pinnedItems: [Int: SharedContext] = [:]

    init(count: Int) { items = Array(repeating: nil, count: count) }

    func item(_ index: Int, pinned: Bool, make: () -> SharedContext) -> SharedContext {
        if let item = lock.withLock({ pinned ? pinnedItems[index] : items[index] }) { return item }
        let made = make()
        return lock.withLock {
            // Another thread made it meanwhile: the same value.
            if let item = pinned ? pinnedItems[index] : items[index] { return item }
            if pinned { pinnedItems[index] = made } else { items[index] = made }
            return made
        }
    }
}
