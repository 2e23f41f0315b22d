import Foundation

/// The `<meta name content>` pairs the national web design norm asks of every government page (政府网站网页设计规范,
/// published with 国办发〔2017〕47号): the site's on every page, the column's on list pages, the column's and the
/// article's on article pages. Values are plain text; the template escapes them.
enum PageMetadata {
    typealias Entry = (name: String, content: String)

    /// `SiteName`, `SiteDomain` (the base URL's host), `SiteIDCode`: on every page.
    static func site(_ settings: SiteSettings) -> [Entry] {
        var entries: [Entry] = [("SiteName", settings.siteName)]
        if let domain = domain(of: settings.baseURL) { entries.append(("SiteDomain", domain)) }
        if let code = settings.siteCode { entries.append(("SiteIDCode", code)) }
        return entries
    }

    /// The site's entries and `ColumnName`, `ColumnDescription`, `ColumnKeywords`, `ColumnType` of a list page.
    static func list(_ section: Section, settings: SiteSettings) -> [Entry] {
        var entries = site(settings)
        entries.append(("ColumnName", section.title))
        entries.append(("ColumnDescription", section.description ?? section.title))
        entries.append(
            ("ColumnKeywords", section.keywords.isEmpty ? section.title : section.keywords.joined(separator: ",")))
        entries.append(("ColumnType", section.kind ?? section.title))
        return entries
    }

    /// The site's entries, the column's name and type, and the article's: `ArticleTitle`, `PubDate`
    /// (`YYYY-MM-DD HH:MM` in the site's zone), `ContentSource`, `Keywords`, `Author`, `Description`, `Image` (the
    /// body's first picture) and `Url`, both absolute when the site has a base URL.
    static func article(
        _ article: Article, in section: Section, source: String, html: String, settings: SiteSettings
    ) -> [Entry] {
        var entries = site(settings)
        entries.append(("ColumnName", section.title))
        entries.append(("ColumnType", section.kind ?? section.title))
        entries.append(("ArticleTitle", article.title))
        entries.append(("PubDate", pubDate(isoDate: article.parsed.isoDate)))
        entries.append(("ContentSource", source))
        if !article.tags.isEmpty { entries.append(("Keywords", article.tags.joined(separator: ","))) }
        if let author = article.author, !author.isEmpty { entries.append(("Author", author)) }
        entries.append(("Description", article.summary))
        if let image = firstImage(in: html) {
            entries.append(("Image", absolute(image, page: article.url, baseURL: settings.baseURL)))
        }
        entries.append(("Url", URLPath.absolute(article.url, baseURL: settings.baseURL)))
        return entries
    }

    /// `2020-04-30 09:17` from `2020-04-30T09:17:00+08:00` (the date already in the site's zone).
    static func pubDate(isoDate: String) -> String {
        String(isoDate.prefix(10)) + " " + String(isoDate.dropFirst(11).prefix(5))
    }

    /// The host of a base URL (`https://www.example.gov.cn` → `www.example.gov.cn`).
    static func domain(of baseURL: String?) -> String? {
        guard let baseURL, let scheme = TextScan.firstRange(of: schemeSeparator, in: baseURL) else { return nil }
        let rest = Substring(baseURL.utf8[scheme.upperBound...])
        let host = rest.prefix { $0 != "/" }
        return host.isEmpty ? nil : String(host)
    }

    private static let schemeSeparator = Array("://".utf8)

    /// The `src` of the first `<img>` in rendered HTML, its character references undone.
    /// Searched by byte (`memmem`): Foundation's `range(of:)` folds character clusters through UTF-16 and cost a
    /// quarter of a build's time at 10,000 articles. libcmark writes the tag as `<img src="`, ASCII, and the address
    /// ends at the next `"`, so the cut falls on scalar boundaries.
    static func firstImage(in html: String) -> String? {
        guard let range = TextScan.firstRange(of: imageTag, in: html) else { return nil }
        let rest = html.utf8[range.upperBound...]
        guard let end = rest.firstIndex(of: UInt8(ascii: "\"")), end > rest.startIndex else { return nil }
        return unescape(String(Substring(html.utf8[rest.startIndex..<end])))
    }

    private static let imageTag = Array("<img src=\"".utf8)

    /// An image address as an absolute URL: kept when it has a scheme, joined to the base URL when rooted, else
    /// taken relative to the page.
    static func absolute(_ source: String, page: String, baseURL: String?) -> String {
        if source.contains("://") || source.hasPrefix("//") { return source }
        if source.hasPrefix("/") { return URLPath.absolute(source, baseURL: baseURL) }
        return URLPath.absolute(page + source, baseURL: baseURL)
    }

    private static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
