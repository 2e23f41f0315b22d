/// The RSS 2.0 feeds and the site map, written in code: they are formats, not part of the theme.
enum XMLDocuments {
    /// The feed of a section (the whole site for the home page): its newest articles.
    static func feed(site: Site, section index: Int) -> String {
        let settings = site.settings
        let section = site.sections[index]
        let items = section.allArticles.prefix(settings.feedItems).map { site.articles[$0] }
        let title = index == 0 ? settings.siteName : "\(section.title) - \(settings.siteName)"
        let base = settings.baseURL
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
            <channel>
            <title>\(escape(title))</title>
            <link>\(escape(URLPath.absolute(section.url, baseURL: base)))</link>
            <description>\(escape(section.description ?? (settings.description.isEmpty ? title : settings.description)))</description>
            <language>\(escape(settings.language))</language>

            """
        if let newest = items.first {
            xml += "<lastBuildDate>\(newest.parsed.rfc822Date)</lastBuildDate>\n"
        }
        if let base {
            xml +=
                "<atom:link href=\"\(escape(base + section.url + "index.xml"))\" rel=\"self\" type=\"application/rss+xml\"/>\n"
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

    /// The site map: the home page, every section and every article (list pages beyond the first are left out).
    static func sitemap(site: Site) -> String {
        let settings = site.settings
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

            """
        for section in site.sections {
            let newest = section.allArticles.first.map { site.articles[$0].parsed.isoDate }
            xml += sitemapEntry(url: section.url, isoDate: newest, baseURL: settings.baseURL)
        }
        for article in site.articles { xml += article.parsed.sitemapEntry }
        return xml + "</urlset>\n"
    }

    /// One `<url>` line of the site map.
    static func sitemapEntry(url: String, isoDate: String?, baseURL: String?) -> String {
        "<url><loc>\(escape(URLPath.absolute(url, baseURL: baseURL)))</loc>"
            + (isoDate.map { "<lastmod>\($0)</lastmod>" } ?? "") + "</url>\n"
    }

    /// Escapes the five XML special characters.
    static func escape(_ text: String) -> String { MarkupEscaping.xml(text) }
}
