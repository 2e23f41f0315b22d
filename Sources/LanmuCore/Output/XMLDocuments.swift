/// The RSS 2.0 feeds and the site map, written in code: they are formats, not part of the theme.
enum XMLDocuments {
    /// The feed of a section (the whole site for the home page): its newest articles.
    static func feed(site: Site, section index: Int) -> String {
        let settings = site.settings
        let section = site.sections[index]
        let items = section.allArticles.prefix(settings.feedItems).map { site.articles[$0] }
        let title = index == 0 ? settings.siteName : "\(section.title) - \(settings.siteName)"
        let base = settings.baseURL
        // RSS requires a description; an empty one says nothing, so the channel's title stands in.
        let description = [section.description, settings.description].lazy.compactMap { $0 }.first { !$0.isEmpty }
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
            <channel>
            <title>\(escape(title))</title>
            <link>\(escape(URLPath.absolute(section.url, baseURL: base)))</link>
            <description>\(escape(description ?? title))</description>
            <language>\(escape(settings.language))</language>

            """
        if let newest = items.first {
            xml += "<lastBuildDate>\(newest.parsed.rfc822Date)</lastBuildDate>\n"
        }
        if let base {
            xml +=
                "<atom:link href=\"\(escape(base + section.feedURL))\" rel=\"self\" type=\"application/rss+xml\"/>\n"
        }
        for article in items {
            let link = escape(URLPath.absolute(article.url, baseURL: base))
            xml += """
                <item>
                <title>\(escape(article.title))</title>
                <link>\(link)</link>
                <guid isPermaLink="\(base == nil ? "false" : "true")">\(link)</guid>
                <pubDate>\(article.parsed.rfc822Date)</pubDate>
                <description>\(escape(article.summary))</description>
                </item>

                """
        }
        return xml + "</channel>\n</rss>\n"
    }

    /// A file of the site map: the entries of one part of the plan (see `SitemapPlan`).
    static func sitemap(site: Site, entries: Range<Int>) -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

            """
        for entry in entries { xml += sitemapEntry(site: site, entry) }
        return xml + "</urlset>\n"
    }

    /// The sitemap index that `sitemap.xml` becomes when the site map is cut into parts.
    static func sitemapIndex(site: Site, parts: Int) -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

            """
        for part in 0..<parts {
            let location = URLPath.absolute(
                Permalinks.url(ofPath: Permalinks.sitemapPartPath(part)), baseURL: site.settings.baseURL)
            xml += "<sitemap><loc>\(escape(location))</loc></sitemap>\n"
        }
        return xml + "</sitemapindex>\n"
    }

    /// Entry `index` of the whole site map: the home page and every section (in model order), then every article
    /// (list pages beyond the first are left out).
    static func sitemapEntry(site: Site, _ index: Int) -> String {
        guard index < site.sections.count else { return site.articles[index - site.sections.count].sitemapEntry }
        let section = site.sections[index]
        let newest = section.allArticles.first.map { site.articles[$0].parsed.isoDate }
        return sitemapEntry(url: section.url, isoDate: newest, baseURL: site.settings.baseURL)
    }

    /// One `<url>` line of the site map.
    static func sitemapEntry(url: String, isoDate: String?, baseURL: String?) -> String {
        "<url><loc>\(escape(URLPath.absolute(url, baseURL: baseURL)))</loc>"
            + (isoDate.map { "<lastmod>\($0)</lastmod>" } ?? "") + "</url>\n"
    }

    /// Escapes the five XML special characters.
    static func escape(_ text: String) -> String { MarkupEscaping.xml(text) }
}

/// How the site map is cut into files. Search engines read at most 50,000 URLs and 10 MB from one site map file
/// (Baidu's limits; Google's are 50,000 and 50 MB); a site within both gets one `sitemap.xml`, a larger one a
/// sitemap index in `sitemap.xml` naming `sitemap-1.xml`, `sitemap-2.xml`…, each within both limits and together
/// listing what one file would, in the same order.
struct SitemapPlan: Sendable, Equatable {
    static let maximumURLs = 50_000
    static let maximumBytes = 10 * 1024 * 1024

    /// The entries of each file (see `XMLDocuments.sitemapEntry(site:_:)`); one part when nothing is cut.
    let parts: [Range<Int>]

    var isCut: Bool { parts.count > 1 }

    init(site: Site, maximumURLs: Int = Self.maximumURLs, maximumBytes: Int = Self.maximumBytes) {
        let total = site.sections.count + site.articles.count
        // What a file holds besides its entries: the XML declaration, the urlset's tags.
        let frame = XMLDocuments.sitemap(site: site, entries: 0..<0).utf8.count
        var parts: [Range<Int>] = []
        var start = 0
        var bytes = frame
        for entry in 0..<total {
            let size = XMLDocuments.sitemapEntry(site: site, entry).utf8.count
            if entry > start, entry - start == maximumURLs || bytes + size > maximumBytes {
                parts.append(start..<entry)
                (start, bytes) = (entry, frame)
            }
            bytes += size
        }
        parts.append(start..<total)
        self.parts = parts
    }

    /// The part that lists entry `index`.
    func part(of index: Int) -> Int {
        parts.firstIndex { $0.upperBound > index } ?? parts.count - 1
    }
}
