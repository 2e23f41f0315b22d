/// One file of the output.
enum OutputJob: Sendable {
    case home
    case list(section: Int, page: Int)
    case article(Int)
    case feed(section: Int)
    case sitemap
    case marker
    /// A file copied as it is, from an absolute source path.
    case copy(source: String, to: String)

    var isPage: Bool {
        switch self {
        case .home, .list, .article: true
        default: false
        }
    }
}

/// Renders every output file of a site from its model and templates. Pure: the bytes come back to the caller.
struct SiteRenderer: Sendable {
    let site: Site
    let templates: TemplateLibrary
    let contexts: PageContexts
    /// Per section: the fingerprint of its breadcrumb and the navigation (see `fingerprint`).
    let chainFingerprints: [Int]

    init(site: Site, templates: TemplateLibrary) {
        self.site = site
        self.templates = templates
        self.contexts = PageContexts(site: site)
        self.chainFingerprints = Self.chainFingerprints(of: site)
    }

    /// Every output file in a stable order, with its path relative to the output root.
    func jobs(copies: [(source: String, to: String, signature: FileSignature?)]) -> [(path: String, job: OutputJob)] {
        var jobs: [(String, OutputJob)] = [("index.html", .home), ("index.xml", .feed(section: 0))]
        for (index, section) in site.sections.enumerated() where index > 0 {
            let base = section.segments.joined(separator: "/")
            jobs.append((base + "/index.html", .list(section: index, page: 1)))
            for page in stride(from: 2, through: section.pageCount, by: 1) {
                jobs.append(("\(base)/page/\(page)/index.html", .list(section: index, page: page)))
            }
            jobs.append((base + "/index.xml", .feed(section: index)))
        }
        for (index, article) in site.articles.enumerated() {
            jobs.append((article.parsed.outputPath, .article(index)))
        }
        jobs.append(("sitemap.xml", .sitemap))
        jobs.append((OutputDirectory.markerName, .marker))
        for copy in copies { jobs.append((copy.to, .copy(source: copy.source, to: copy.to))) }
        return jobs
    }

    /// The text of a rendered job; nil for copies.
    /// - Parameter articleHTML: an article's body when it was read again (see `ArticleBodies`).
    func render(_ job: OutputJob, articleHTML: String? = nil) -> String? {
        switch job {
        case .home: templates.render(contexts.home(), withTemplate: "home")
        case .list(let section, let page):
            templates.render(contexts.list(section: section, page: page), withTemplate: "list")
        case .article(let index): templates.render(contexts.article(index, html: articleHTML), withTemplate: "article")
        case .feed(let section): XMLDocuments.feed(site: site, section: section)
        case .sitemap: XMLDocuments.sitemap(site: site)
        case .marker: OutputDirectory.markerText
        case .copy: nil
        }
    }
}
