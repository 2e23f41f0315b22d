/// One file of the output.
enum OutputJob: Sendable {
    case home
    case list(section: Int, page: Int)
    case article(Int)
    case feed(section: Int)
    /// `sitemap.xml`: the whole site map, or the index of its parts when it is cut (see `SitemapPlan`).
    case sitemap
    case sitemapPart(Int)
    /// `counter-ids.txt`: every article's counter id and URL, the only ids `lanmu counter` counts.
    case counterIDs
    case marker
    /// The page at an old URL (`aliases:`) that sends the reader on to the new one: `site.redirects[n]`.
    case redirect(Int)
    /// The nginx 301 rules for every old URL (`_redirects.nginx`), written even when there are none, so the
    /// server block's `include` always finds it.
    case nginxRedirects
    /// Site search: the results page and the index's files (`SearchIndex`).
    case searchPage
    case searchManifest
    case searchShard(Int)
    case searchColumn(Int)
    case searchDocument(Int)
    /// A file copied as it is, from an absolute source path.
    case copy(source: String, to: String)
    /// An asset of the default theme carried by the binary (`DefaultTheme`), by its path under `assets/`.
    case themeAsset(String)

    /// The search results page or a file of the index.
    var isSearch: Bool {
        switch self {
        case .searchPage, .searchManifest, .searchShard, .searchColumn, .searchDocument: true
        default: false
        }
    }

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
        case .home, .list, .article, .searchPage: true
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
    /// Gives each article's body back for its page.
    let bodies: BodyStore
    /// The site search index; nil when search is off.
    let search: SearchIndex?
    /// Watches each article page's render, as the loading watched its Markdown.
    let watchdog: RenderWatchdog?

    init(
        site: Site, templates: TemplateLibrary, sitemap: SitemapPlan? = nil, bodies: BodyStore = .init(.keep, files: 0),
        search: SearchIndex? = nil, watchdog: RenderWatchdog? = nil
    ) {
        self.watchdog = watchdog
        self.site = site
        self.search = search
        self.templates = templates
        self.bodies = bodies
        self.contexts = PageContexts(site: site, used: templates.skeletons?.used)
        self.chainFingerprints = Self.chainFingerprints(of: site)
        self.sitemap = sitemap ?? SitemapPlan(site: site)
    }

    /// Every output file in a stable order, with its path relative to the output root.
    /// `themeAssets` are the default theme's assets the site's own templates/ does not override.
    func jobs(
        copies: [(source: String, to: String, signature: FileSignature?)], themeAssets: [String] = []
    ) -> [(path: String, job: OutputJob)] {
        var jobs = Self.ownFiles(of: site, sitemap: sitemap)
        jobs.reserveCapacity(jobs.count + site.articles.count + copies.count + themeAssets.count)
        for (index, article) in site.articles.enumerated() {
            jobs.append((article.outputPath, .article(index)))
        }
        jobs += searchJobs
        for asset in themeAssets { jobs.append((Permalinks.assetPath(asset), .themeAsset(asset))) }
        for copy in copies { jobs.append((copy.to, .copy(source: copy.source, to: copy.to))) }
        return jobs
    }

    /// Every file generated from the site as a whole, in a stable order: the home page and the site's feed, each
    /// section's list pages and feed, the site map (and its parts), the output marker — all but the article pages.
    static func ownFiles(of site: Site, sitemap: SitemapPlan) -> [(path: String, job: OutputJob)] {
        var jobs: [(path: String, job: OutputJob)] = [
            (Permalinks.homePath, .home), (site.sections[0].feedPath, .feed(section: 0)),
        ]
        for (index, section) in site.sections.enumerated() where index > 0 {
            for page in 1...section.pageCount {
                jobs.append((section.listPath(page: page), .list(section: index, page: page)))
            }
            jobs.append((section.feedPath, .feed(section: index)))
        }
        jobs.append((Permalinks.sitemapPath, .sitemap))
        if sitemap.isCut {
            for part in sitemap.parts.indices { jobs.append((Permalinks.sitemapPartPath(part), .sitemapPart(part))) }
        }
        for (index, redirect) in site.redirects.enumerated() {
            if let path = redirect.outputPath { jobs.append((path, .redirect(index))) }
        }
        jobs.append((Permalinks.nginxRedirectsPath, .nginxRedirects))
        jobs.append((Permalinks.counterIDsPath, .counterIDs))
        jobs.append((OutputDirectory.markerName, .marker))
        return jobs
    }

    /// The jobs whose output may show something of these articles — their pages, their neighbours' pages, the
    /// list pages and feeds they appear in, the home page and the site map — when nothing but their text changed
    /// (no order, URL or count; see `SiteSession`'s patch). Every other job's inputs are the same as before.
    func jobs(showingArticles indices: [Int]) -> [(path: String, job: OutputJob)] {
        var jobs: [(path: String, job: OutputJob)] = [(Permalinks.homePath, .home), (Permalinks.sitemapPath, .sitemap)]
        for index in indices {
            let article = site.articles[index]
            let siblings = site.sections[article.section].articles
            let position = site.positions[index]
            for sibling in [position - 1, position, position + 1] where siblings.indices.contains(sibling) {
                jobs.append((site.articles[siblings[sibling]].outputPath, .article(siblings[sibling])))
            }
            if sitemap.isCut {
                let part = sitemap.part(of: site.sections.count + index)
                jobs.append((Permalinks.sitemapPartPath(part), .sitemapPart(part)))
            }
            for section in site.ancestry(of: article.section) {
                jobs.append((site.sections[section].feedPath, .feed(section: section)))
                guard section > 0, let place = site.sections[section].listed.firstIndex(of: index) else { continue }
                let page = place / site.sections[section].paginate + 1
                jobs.append((site.sections[section].listPath(page: page), .list(section: section, page: page)))
            }
        }
        // The index holds every article's text: its files change with any article.
        jobs += searchJobs
        var seen = Set<String>()
        return jobs.filter { seen.insert($0.path).inserted }
    }

    /// The results page and every file of the search index; none when search is off.
    var searchJobs: [(path: String, job: OutputJob)] {
        guard let search else { return [] }
        return [(SearchIndex.pagePath, .searchPage)] + search.jobs(site: site)
    }

    /// The text of a generated file (any job but a copy).
    /// - Throws: `BodyStore.Failure` when an article's parked body cannot be read back.
    func renderPage(_ job: OutputJob) throws(BodyStore.Failure) -> String {
        guard let text = try render(job) else { preconditionFailure("a copy has no text to render") }
        return text
    }

    /// The text of a rendered job; nil for copies and the default theme's assets.
    /// - Throws: `BodyStore.Failure` when an article's parked body cannot be read back.
    func render(_ job: OutputJob) throws(BodyStore.Failure) -> String? {
        switch job {
        case .home:
            templates.render(withTemplate: "home", context: contexts.home) { contexts.writeHome(into: &$0) }
        case .list(let section, let page):
            templates.render(withTemplate: "list", context: { contexts.list(section: section, page: page) }) {
                contexts.writeList(section: section, page: page, into: &$0)
            }
        case .article(let index):
            try watchdog.watch(site.articles[index].file) { () throws(BodyStore.Failure) in try renderArticle(index) }
        case .feed(let section): XMLDocuments.feed(site: site, section: section)
        case .sitemap:
            sitemap.isCut
                ? XMLDocuments.sitemapIndex(site: site, parts: sitemap.parts.count)
                : XMLDocuments.sitemap(site: site, entries: sitemap.parts[0])
        case .sitemapPart(let part): XMLDocuments.sitemap(site: site, entries: sitemap.parts[part])
        case .counterIDs: Self.counterIDs(of: site)
        case .marker: OutputDirectory.markerText
        case .redirect(let index): Redirects.page(site.redirects[index], baseURL: site.settings.baseURL)
        case .nginxRedirects: Redirects.nginxRules(site.redirects)
        case .searchPage:
            templates.render(withTemplate: "search", context: contexts.search) { contexts.writeSearch(into: &$0) }
        case .searchManifest: search?.manifest
        case .searchShard(let file): search.map { String(decoding: $0.files[file].bytes, as: UTF8.self) }
        case .searchColumn(let section): search?.column(section, site: site)
        case .searchDocument(let number): search?.document(number, site: site)
        case .copy, .themeAsset: nil
        }
    }

    /// One `id<TAB>url` line per article, and one per old URL of an article (`aliases:`, percent-decoded), so that
    /// `lanmu counter import` takes an old site's counts keyed by old URL; ordered by id.
    static func counterIDs(of site: Site) -> String {
        var lines = site.articles.map { $0.id + "\t" + $0.url + "\n" }
        if !site.redirects.isEmpty {
            let ids = Dictionary(site.articles.map { ($0.url, $0.id) }) { first, _ in first }
            for redirect in site.redirects {
                guard let id = ids[redirect.to], !redirect.from.contains(where: \.isNewline) else { continue }
                lines.append(id + "\t" + redirect.oldURL + "\n")
            }
        }
        lines.sort()
        return lines.joined()
    }

    private func renderArticle(_ index: Int) throws(BodyStore.Failure) -> String {
        let html = try bodies.html(for: site.articles[index])
        return templates.render(withTemplate: "article", context: { contexts.article(index, html: html) }) {
            contexts.writeArticle(index, html: html, into: &$0)
        }
    }
}
