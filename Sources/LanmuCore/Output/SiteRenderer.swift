/// One file of the output.
enum OutputJob: Sendable {
    case home
    case list(section: Int, page: Int)
    case article(Int)
    case feed(section: Int)
    /// `sitemap.xml`: the whole site map, or the index of its parts when it is cut (see `SitemapPlan`).
    case sitemap
    case sitemapPart(Int)
    case marker
    /// A file copied as it is, from an absolute source path.
    case copy(source: String, to: String)

    var isArticle: Bool {
        if case .article = self { true } else { false }
    }

    /// Whether the file's folder is its own: an article's (`…/<slug>/`) or a further list page's (`…/page/N/`). Its
    /// job makes it, in parallel with the others (a million of them take seconds one by one); one that a copied file
    /// needs too is made before, and the job finds it there.
    var hasFolderOfItsOwn: Bool {
        switch self {
        case .article: true
        case .list(_, let page): page > 1
        default: false
        }
    }

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
    let sitemap: SitemapPlan

    init(site: Site, templates: TemplateLibrary, sitemap: SitemapPlan? = nil) {
        self.site = site
        self.templates = templates
        self.contexts = PageContexts(site: site, used: templates.skeletons?.used)
        self.chainFingerprints = Self.chainFingerprints(of: site)
        self.sitemap = sitemap ?? SitemapPlan(site: site)
    }

    /// Every output file in a stable order, with its path relative to the output root.
    func jobs(copies: [(source: String, to: String, signature: FileSignature?)]) -> [(path: String, job: OutputJob)] {
        var jobs = Self.ownFiles(of: site, sitemap: sitemap)
        jobs.reserveCapacity(jobs.count + site.articles.count + copies.count)
        for (index, article) in site.articles.enumerated() {
            jobs.append((article.parsed.outputPath, .article(index)))
        }
        for copy in copies { jobs.append((copy.to, .copy(source: copy.source, to: copy.to))) }
        return jobs
    }

    /// Every file generated from the site as a whole, in a stable order: the home page and the site's feed, each
    /// section's list pages and feed, the site map (and its parts), the output marker — all but the article pages.
    static func ownFiles(of site: Site, sitemap: SitemapPlan) -> [(path: String, job: OutputJob)] {
        var jobs: [(path: String, job: OutputJob)] = [
            ("index.html", .home), (feedPath(site.sections[0]), .feed(section: 0)),
        ]
        for (index, section) in site.sections.enumerated() where index > 0 {
            for page in 1...section.pageCount {
                jobs.append((listPath(section, page: page), .list(section: index, page: page)))
            }
            jobs.append((feedPath(section), .feed(section: index)))
        }
        jobs.append(("sitemap.xml", .sitemap))
        if sitemap.isCut {
            for part in sitemap.parts.indices { jobs.append((SitemapPlan.path(ofPart: part), .sitemapPart(part))) }
        }
        jobs.append((OutputDirectory.markerName, .marker))
        return jobs
    }

    /// The jobs whose output may show something of these articles — their pages, their neighbours' pages, the
    /// list pages and feeds they appear in, the home page and the site map — when nothing but their text changed
    /// (no order, URL or count; see `SiteSession`'s patch). Every other job's inputs are the same as before.
    func jobs(showingArticles indices: [Int]) -> [(path: String, job: OutputJob)] {
        var jobs: [(path: String, job: OutputJob)] = [("index.html", .home), ("sitemap.xml", .sitemap)]
        for index in indices {
            let article = site.articles[index]
            let siblings = site.sections[article.section].articles
            let position = site.positions[index]
            for sibling in [position - 1, position, position + 1] where siblings.indices.contains(sibling) {
                jobs.append((site.articles[siblings[sibling]].parsed.outputPath, .article(siblings[sibling])))
            }
            if sitemap.isCut {
                let part = sitemap.part(of: site.sections.count + index)
                jobs.append((SitemapPlan.path(ofPart: part), .sitemapPart(part)))
            }
            for section in site.ancestry(of: article.section) {
                jobs.append((feedPath(section), .feed(section: section)))
                guard section > 0, let place = site.sections[section].listed.firstIndex(of: index) else { continue }
                let page = place / site.sections[section].paginate + 1
                jobs.append((listPath(section, page: page), .list(section: section, page: page)))
            }
        }
        var seen = Set<String>()
        return jobs.filter { seen.insert($0.path).inserted }
    }

    private func listPath(_ section: Int, page: Int) -> String { Self.listPath(site.sections[section], page: page) }

    private func feedPath(_ section: Int) -> String { Self.feedPath(site.sections[section]) }

    /// The file of a section's list page (`sanfuwu/shixian/page/2/index.html`).
    private static func listPath(_ section: Section, page: Int) -> String {
        let base = section.segments.joined(separator: "/")
        return page == 1 ? base + "/index.html" : "\(base)/page/\(page)/index.html"
    }

    /// The file of a section's feed; the home page's is the site's.
    private static func feedPath(_ section: Section) -> String {
        section.segments.isEmpty ? "index.xml" : section.segments.joined(separator: "/") + "/index.xml"
    }

    /// The text of a rendered job; nil for copies.
    /// - Parameter articleHTML: an article's body when the model did not keep it (see `ArticleBodies`).
    func render(_ job: OutputJob, articleHTML: String? = nil) -> String? {
        switch job {
        case .home: templates.render(contexts.home(), withTemplate: "home")
        case .list(let section, let page):
            templates.render(withTemplate: "list", context: { contexts.list(section: section, page: page) }) {
                contexts.writeList(section: section, page: page, into: &$0)
            }
        case .article(let index):
            templates.render(withTemplate: "article", context: { contexts.article(index, html: articleHTML) }) {
                contexts.writeArticle(index, html: articleHTML, into: &$0)
            }
        case .feed(let section): XMLDocuments.feed(site: site, section: section)
        case .sitemap:
            sitemap.isCut
                ? XMLDocuments.sitemapIndex(site: site, parts: sitemap.parts.count)
                : XMLDocuments.sitemap(site: site, entries: sitemap.parts[0])
        case .sitemapPart(let part): XMLDocuments.sitemap(site: site, entries: sitemap.parts[part])
        case .marker: OutputDirectory.markerText
        case .copy: nil
        }
    }
}
