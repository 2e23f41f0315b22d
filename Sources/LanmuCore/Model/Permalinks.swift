import Foundation

/// Every URL and output path Lanmu makes: the one place that spells them. A URL is what a link or a feed shows
/// (`/sanfuwu/shixian/page/2/`, segments percent-encoded); a path is the file below the output root
/// (`sanfuwu/shixian/page/2/index.html`, segments as they are: file names on disk stay Chinese).
///
/// Sections and articles mirror the content tree: a section at `/<topic>/<column>/`, its further list pages at
/// `…/page/N/`, its feed at `…/index.xml`, an article at `/<topic>/<column>/<slug>/`.
enum Permalinks {
    // MARK: The site

    /// The home page's URL.
    static let homeURL = "/"
    /// The home page's file.
    static let homePath = "index.html"
    /// The site map's file: the whole map, or the index of its parts when it is cut.
    static let sitemapPath = "sitemap.xml"
    /// The article ids `lanmu counter` counts (`ArticleManifest` in LanmuCounter reads this name).
    static let counterIDsPath = "counter-ids.txt"
    /// The folder the theme's assets are copied to, below the output root.
    static let assetsFolder = "assets/"
    /// The URL of the theme's assets folder.
    static let assetsURL = "/" + assetsFolder

    /// The file of part `part` (from 0) of a cut site map: `sitemap-1.xml` for the first.
    static func sitemapPartPath(_ part: Int) -> String { "sitemap-\(part + 1).xml" }

    /// The URL of a file Lanmu writes at a path below the output root.
    static func url(ofPath path: String) -> String { "/" + path }

    /// The output path of a theme asset (its path below `templates/assets/`).
    static func assetPath(_ path: String) -> String { assetsFolder + path }

    // MARK: Sections

    /// A section's URL from its folder names: `/sanfuwu/shixian/`, `/` for the home page.
    static func sectionURL(_ segments: [String]) -> String { URLPath.directory(segments) }

    /// The file of a section's first list page (the home page's is `index.html`).
    static func sectionPath(_ segments: [String]) -> String { URLPath.indexFile(segments) }

    /// The URL of list page `page` (from 1) of a section whose URL is `sectionURL`: `…/page/N/`, or its `pager:`.
    static func listURL(sectionURL: String, page: Int, pager: PermalinkPattern? = nil) -> String {
        guard page > 1 else { return sectionURL }
        guard let pager else { return sectionURL + "page/\(page)/" }
        return sectionURL + encodedPath(pagerText(pager, page: page))
    }

    /// The file of list page `page` (from 1) of the section with these folder names.
    static func listPath(_ segments: [String], page: Int, pager: PermalinkPattern? = nil) -> String {
        guard page > 1 else { return URLPath.indexFile(segments) }
        guard let pager else { return URLPath.indexFile(segments + ["page", String(page)]) }
        return filePath(segments.map { $0 + "/" }.joined() + pagerText(pager, page: page))
    }

    /// A `pager:` pattern for page `page`: `:page` counts the second page as 2, `:page0` as 1.
    private static func pagerText(_ pager: PermalinkPattern, page: Int) -> String {
        pager.expand { $0 == .page0 ? String(page - 1) : String(page) }
    }

    /// `a/b/` or `a/b.html` (raw) as a URL tail, each segment percent-encoded.
    private static func encodedPath(_ raw: String) -> String {
        raw.split(separator: "/", omittingEmptySubsequences: false).map { URLPath.encode(String($0)) }.joined(
            separator: "/")
    }

    /// The file of a raw path below the output root: a folder (`a/b/`) means its `index.html`.
    private static func filePath(_ raw: String) -> String { raw.hasSuffix("/") ? raw + "index.html" : raw }

    /// The URL of a section's feed; the home page's is the site's.
    static func feedURL(sectionURL: String) -> String { sectionURL + "index.xml" }

    /// The file of the feed of the section with these folder names.
    static func feedPath(_ segments: [String]) -> String {
        segments.isEmpty ? "index.xml" : segments.joined(separator: "/") + "/index.xml"
    }

    // MARK: Articles

    /// An article's URL: its folder names, then its slug.
    static func articleURL(directory: [String], slug: String) -> String { URLPath.directory(directory + [slug]) }

    /// An article page's file.
    static func articlePath(directory: [String], slug: String) -> String {
        URLPath.indexFile(directory + [slug])
    }

    /// An article's URL and file from its column's `permalink:` pattern, with the values of its parts.
    static func placedArticle(_ pattern: PermalinkPattern, values: (PermalinkPattern.Part) -> String) -> (
        url: String, path: String, segments: [String]
    ) {
        let raw = String(pattern.expand(values).dropFirst())
        let segments = raw.split(separator: "/").map(String.init)
        return ("/" + encodedPath(raw), filePath(raw), segments)
    }

    /// An old URL (`aliases:`) as the decoded path nginx matches and the file its redirect page is written to:
    /// `/col/col1229/index.html` stays a file, `/old/` and `/old` become `old/index.html`.
    static func aliasTarget(_ alias: String) -> (path: String, file: String, segments: [String]) {
        let decoded = alias.removingPercentEncoding ?? alias
        let raw = String(decoded.dropFirst())
        let segments = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let last = segments.last ?? ""
        let isFile = pageFileExtensions.contains { last.lowercased().hasSuffix($0) }
        let file = isFile ? raw : (raw.isEmpty || raw.hasSuffix("/") ? raw : raw + "/") + "index.html"
        return (decoded, file, segments.filter { !$0.isEmpty })
    }

    /// Endings that make an old URL a file of its own rather than a folder.
    static let pageFileExtensions = [".html", ".htm", ".shtml", ".jsp", ".php", ".asp", ".aspx"]

    /// The file Lanmu writes with a 301 rule per old URL, for nginx's `include` (see the README's server block).
    static let nginxRedirectsPath = "_redirects.nginx"

    /// The tail of a page's file after its folder (`/index.html`), for sizing paths.
    static let pageFileSuffix = "/index.html"
}

extension Section {
    /// The URL of list page `page` (from 1).
    func listURL(page: Int) -> String { Permalinks.listURL(sectionURL: url, page: page, pager: pager) }
    /// The file of list page `page` (from 1).
    func listPath(page: Int) -> String { Permalinks.listPath(segments, page: page, pager: pager) }
    /// The URL of the section's feed.
    var feedURL: String { Permalinks.feedURL(sectionURL: url) }
    /// The file of the section's feed.
    var feedPath: String { Permalinks.feedPath(segments) }
}
