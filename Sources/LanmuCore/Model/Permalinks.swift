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

    /// The URL of list page `page` (from 1) of a section whose URL is `sectionURL`.
    static func listURL(sectionURL: String, page: Int) -> String {
        page == 1 ? sectionURL : sectionURL + "page/\(page)/"
    }

    /// The file of list page `page` (from 1) of the section with these folder names.
    static func listPath(_ segments: [String], page: Int) -> String {
        page == 1 ? URLPath.indexFile(segments) : URLPath.indexFile(segments + ["page", String(page)])
    }

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

    /// The tail of a page's file after its folder (`/index.html`), for sizing paths.
    static let pageFileSuffix = "/index.html"
}

extension Section {
    /// The URL of list page `page` (from 1).
    func listURL(page: Int) -> String { Permalinks.listURL(sectionURL: url, page: page) }
    /// The file of list page `page` (from 1).
    func listPath(page: Int) -> String { Permalinks.listPath(segments, page: page) }
    /// The URL of the section's feed.
    var feedURL: String { Permalinks.feedURL(sectionURL: url) }
    /// The file of the section's feed.
    var feedPath: String { Permalinks.feedPath(segments) }
}
