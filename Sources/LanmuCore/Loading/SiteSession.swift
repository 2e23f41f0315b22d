import Foundation

/// A site loaded and checked, ready to render.
struct LoadedSite: Sendable {
    var site: Site
    /// How the site map is cut into files (an edit that only changes articles' text leaves it as it was).
    var sitemap: SitemapPlan
    var templates: TemplateLibrary
    /// Changes whenever any template is read anew.
    var templatesRevision: Int
    /// Files copied as they are: absolute source path and output path, with the source's signature.
    var copies: [(source: String, to: String, signature: FileSignature?)]
    /// The default theme's assets the site's templates/ does not override, by their paths under `assets/`.
    var themeAssets: [String] = []
    /// Gives each article's body back for its page.
    var bodies: BodyStore
    /// The site search index; nil when search is off or the theme has no `search` template.
    var search: SearchIndex? = nil
    /// When the last load only put articles read anew into the previous model (nothing moved, no URL changed):
    /// their indices in `site.articles`. Nil when the model was built anew.
    var patchedArticles: [Int]? = nil
}

/// Loads a site and keeps what it read, so that the next load reads again only the files whose `stat` changed.
/// `lanmu build` uses a fresh session; `lanmu serve` keeps one for its whole run. Not thread-safe: one load at a
/// time.
final class SiteSession: @unchecked Sendable {
    let options: BuildOptions
    let loader: ContentLoader

    enum Parsed {
        case section(ParsedSection?)
        case article(ParsedArticle?)
        /// An article whose front matter has an error: only its links and images, checked with the model's.
        case unpublishable(LinksToCheck)
    }

    /// A class, so that walking ten thousand of them copies nothing.
    final class CachedDocument {
        let signature: FileSignature
        let parsed: Parsed
        let diagnostics: [Diagnostic]

        init(signature: FileSignature, parsed: Parsed, diagnostics: [Diagnostic]) {
            self.signature = signature
            self.parsed = parsed
            self.diagnostics = diagnostics
        }
    }

    struct CachedTemplates {
        var signatures: [String: FileSignature]
        var library: TemplateLibrary?
        var diagnostics: [Diagnostic]
        var revision: Int
    }

    var documents: [String: CachedDocument] = [:]
    private var settingsSignature: FileSignature?
    private var settings = SiteSettings()
    private var settingsDiagnostics: [Diagnostic] = []
    var templates: CachedTemplates?
    private var revisionCounter = 0
    /// The content listing of the last load, brought up to date from change hints when it can be.
    var contentListing: ContentLoader.Listing?

    /// How many files the last load read (the rest came from the cache).
    var filesReadInLastLoad = 0
    /// Where `lanmu build` keeps parsed articles between runs (set by `Generator.build`): the cache folder, the key
    /// without the settings, and when the content was listed. Nil: every file is read and parsed.
    var recordsPlan: (folder: URL, key: String, listedAt: Date)?
    /// The records of the last load (`RecordCache`), opened with `recordsPlan`.
    private(set) var records: RecordCache?
    /// A digest of the bytes of `content/_index.md` as last read (0 when there is none): part of the records' key.
    private(set) var settingsDigest: UInt64 = 0
    /// Whether the last load read templates or site settings anew (then every page may change).
    private(set) var everythingChangedInLastLoad = true

    let watchdog: RenderWatchdog?
    /// Whether loads that follow an edit may patch the last model instead of building it anew (the preview).
    private let patchable: Bool
    /// The last load that succeeded, with its diagnostics: what `patch` starts from. Nil after a failed load.
    var lastGood: (loaded: LoadedSite, diagnostics: [Diagnostic])?
    /// The Latin words and numbers site search has met (kept between loads: records read earlier use them).
    let searchWords = SearchWords()

    init(options: BuildOptions, patchable: Bool = false) {
        self.options = options
        self.patchable = patchable
        self.watchdog = options.onRenderTimeout.map { RenderWatchdog(limit: options.renderTimeLimit, onTimeout: $0) }
        let root = options.siteRoot
        self.loader = ContentLoader { Self.display($0, root: root) }
    }

    /// A path as shown to the user: relative to the site root when inside it.
    static func display(_ url: URL, root: URL) -> String {
        let path = url.standardizedFileURL.path
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(rootPath) ? String(path.dropFirst(rootPath.count)) : path
    }

    func display(_ url: URL) -> String { Self.display(url, root: options.siteRoot) }

    func nextRevision() -> Int {
        revisionCounter += 1
        return revisionCounter
    }

    /// Lists the site, reads what changed since the last load, and builds the model and templates: the stages
    /// listing → reading and parsing → model → output plan, each a function below.
    /// - Parameter changedPaths: absolute paths a file watcher saw change; with them the content folder is not
    ///   listed again (unless a folder changed). Nil lists everything.
    /// - Parameter bodies: where rendered bodies wait for their pages (`BodyStore.Plan`); for `lanmu check`, which
    ///   writes no page, they are rendered (for their warnings, summaries and word counts) and let go at once.
    func load(
        now: Date, changedPaths: [String]? = nil, bodies plan: BodyStore.Plan = .keep,
        progress: (@Sendable (String) -> Void)? = nil
    ) -> (LoadedSite?, [Diagnostic]) {
        filesReadInLastLoad = 0
        everythingChangedInLastLoad = false
        let content = options.contentDirectory
        guard Self.isFolder(content) else {
            let missing = Diagnostic(
                .fileSystem, at: .init(file: display(content)), "找不到内容目录 \(display(content))",
                hint: "在站点目录里运行 lanmu，或用 --site / --content 指定目录")
            return (nil, [missing])
        }
        let listing = updatedListing(content: content, changedPaths: changedPaths)
        contentListing = listing
        var diagnostics = listing.diagnostics
        let settings = currentSettings(listing)
        diagnostics += settingsDiagnostics
        if let plan = recordsPlan {
            records = RecordCache(
                folder: plan.folder, key: plan.key + "\nsettings=\(settingsDigest)", listedAt: plan.listedAt)
        }
        let parser = DocumentParser(
            settings: settings,
            renderer: MarkdownRenderer(
                options: .init(
                    rawHTML: settings.rawHTML, cjkEmphasis: settings.cjkEmphasis, collectsText: settings.search)),
            searchWords: settings.search ? searchWords : nil)
        if patchable, !everythingChangedInLastLoad, let changedPaths,
            var patched = patch(changedPaths, listing: listing, parser: parser, now: now)
        {
            patched.loaded.search = searchIndex(patched.loaded)
            lastGood = patched
            return (patched.loaded, patched.diagnostics)
        }
        lastGood = nil

        let files = listing.markdown.filter { $0 != "_index.md" }
        let bodies = BodyStore(plan, files: files.count, records: records, renderAgain: renderAgain(parser, listing))
        StageTimes.mark("读设置、打开文章记录")
        let read = readDocuments(files, listing: listing, parser: parser, bodies: bodies, progress: progress)
        StageTimes.mark("读取和解析（\(filesReadInLastLoad) 个文件读取，其余取自记录）")
        diagnostics += read.diagnostics
        let (site, modelDiagnostics) = buildModel(
            settings: settings, sections: read.sections, articles: read.articles, unpublishable: read.unpublishable,
            listing: listing, now: now)
        diagnostics += modelDiagnostics
        let (templates, themeAssets) = loadTemplates()
        diagnostics += templates.diagnostics
        let embeddedAssets = Self.embeddedAssets(overriddenBy: themeAssets)
        let (sitemap, copies, clashes) = planOutput(
            site, listing: listing, themeAssets: themeAssets, embeddedAssets: embeddedAssets)
        diagnostics += clashes
        guard let library = templates.library, !read.failed, !diagnostics.containsErrors else {
            return (nil, diagnostics)
        }
        var loaded = LoadedSite(
            site: site, sitemap: sitemap, templates: library, templatesRevision: templates.revision, copies: copies,
            themeAssets: embeddedAssets, bodies: bodies)
        loaded.search = searchIndex(loaded)
        if patchable { lastGood = (loaded, diagnostics) }
        return (loaded, diagnostics)
    }

    /// Renders an article's body again from its file (for a recorded body that fails its check): nil unless the
    /// file is still what the listing saw. The same parser without the search words: only the HTML is wanted.
    private func renderAgain(
        _ parser: DocumentParser, _ listing: ContentLoader.Listing
    ) -> @Sendable (ParsedArticle) -> String? {
        var parser = parser
        parser.searchWords = nil
        let (loader, signatures, content) = (loader, listing.signatures, options.contentDirectory)
        let contentPath = content.standardizedFileURL.path + "/"
        return { [parser] article in
            let path = article.contentPath
            guard let signature = signatures[path],
                case .success(let bytes) = loader.read(
                    path: contentPath + path, url: content.appendingPathComponent(path)),
                FileSignature(path: contentPath + path) == signature
            else { return nil }
            return parser.read(bytes, contentPath: path, file: article.file, revision: article.revision).0?
                .rendered.html
        }
    }

    /// The search index of a loaded site, when search is on and the theme has a results page.
    private func searchIndex(_ loaded: LoadedSite) -> SearchIndex? {
        guard loaded.site.settings.search, loaded.templates.names.contains("search") else { return nil }
        return SearchIndex(site: loaded.site, words: searchWords, ownFileFrom: options.searchOwnFileFrom)
    }

    /// The site settings alone, read from `content/_index.md` (defaults when it cannot be read: the load that follows
    /// reports why).
    func settingsAlone() -> SiteSettings {
        let url = options.contentDirectory.appendingPathComponent("_index.md")
        guard FileManager.default.fileExists(atPath: url.path) else { return SiteSettings() }
        return readSettings(url, present: true).0
    }

    /// The site settings, read again when `content/_index.md` changed (then every document is read again too), with
    /// `--base-url` put in.
    private func currentSettings(_ listing: ContentLoader.Listing) -> SiteSettings {
        let homeURL = options.contentDirectory.appendingPathComponent("_index.md")
        let homeSignature = listing.markdown.contains("_index.md") ? listing.signatures["_index.md"] : nil
        if homeSignature != settingsSignature || revisionCounter == 0 {
            settingsSignature = homeSignature
            (settings, settingsDiagnostics) = readSettings(homeURL, present: homeSignature != nil)
            documents.removeAll()
            everythingChangedInLastLoad = true
        }
        var settings = self.settings
        if let baseURL = options.baseURL {
            settings.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        }
        settings.bakedCounts = options.counts
        return settings
    }

    /// What reading the content files gave: the sections and articles in the listing's order, the problems found,
    /// and whether any file could not be parsed at all.
    private struct ReadDocuments {
        var sections: [ParsedSection] = []
        var articles: [ParsedArticle] = []
        /// Articles whose front matter has an error, with links to check.
        var unpublishable: [LinksToCheck] = []
        var diagnostics: [Diagnostic] = []
        var failed = false
    }

    /// Reads and parses the files whose `stat` changed since the last load, in parallel (the rest come from the
    /// cache); each article's body goes to the store.
    private func readDocuments(
        _ files: [String], listing: ContentLoader.Listing, parser: DocumentParser, bodies: BodyStore,
        progress: (@Sendable (String) -> Void)?
    ) -> ReadDocuments {
        let content = options.contentDirectory
        let stale = files.filter { documents[$0]?.signature != listing.signatures[$0] }
        if stale.count >= 1000 { progress?("正在读取 \(stale.count) 个 Markdown 文件……") }
        let loader = self.loader
        let watchdog = self.watchdog
        let work = stale.map { ($0, nextRevision()) }
        let meter = ProgressMeter("已读取", total: stale.count, report: progress)
        defer { meter?.finish() }
        // Paths as strings: Foundation's URL operations cost more than reading a small file.
        let contentPath = content.standardizedFileURL.path + "/"
        let contentDisplay = display(content) + "/"
        let records = self.records
        let signatures = listing.signatures
        let fresh = Parallel.map(work, threads: Parallel.readingThreads) {
            path, revision -> (Parsed, [Diagnostic], Bool) in
            defer { meter?.step() }
            let file = contentDisplay + path
            let isSection = path.hasSuffix("/_index.md")
            let signature = signatures[path]
            if !isSection, let records, let signature,
                let cached = records.document(
                    path, signature: signature, file: file, parser: parser, revision: revision)
            {
                return (.article(bodies.take(cached.0, recorded: cached.2)), cached.1, false)
            }
            let bytes: [UInt8]
            switch loader.read(path: contentPath + path, url: content.appendingPathComponent(path)) {
            case .success(let read): bytes = read
            case .failure(let diagnostic): return (.article(nil), [diagnostic], true)
            }
            if isSection {
                let segments = path.split(separator: "/").dropLast().map(String.init)
                var (section, found) = parser.section(from: bytes, segments: segments, file: file, revision: revision)
                section?.digest = bytes.withUnsafeBytes {
                    RecordCache.digest(path: path, checksum: RecordCache.checksum($0))
                }
                return (.section(section), found, true)
            }
            var (document, links, found) = watchdog.watch(file) {
                parser.read(bytes, contentPath: path, file: file, revision: revision)
            }
            if let links { return (.unpublishable(links), found, true) }
            var recorded: RecordCache.Body?
            if let kept = document, let records, let signature {
                let record = records.keep(kept, diagnostics: found, signature: signature)
                document?.digest = record.digest
                recorded = record.body
            }
            return (.article(document.map { bodies.take($0, recorded: recorded) }), found, true)
        }.map { parsed, found, read -> (Parsed, [Diagnostic]) in
            if read { filesReadInLastLoad += 1 }
            return (parsed, found)
        }
        // Only the preview's session is loaded again; one used once (`lanmu build`) keeps nothing.
        if patchable {
            documents.reserveCapacity(files.count)
            for (path, (parsed, found)) in zip(stale, fresh) {
                documents[path] = CachedDocument(
                    signature: listing.signatures[path]!, parsed: parsed, diagnostics: found)
            }
            // Every listed file has its entry now; more entries means files went away.
            if documents.count != files.count {
                let listed = Set(files)
                for path in documents.keys where !listed.contains(path) { documents[path] = nil }
            }
        }
        // When every file was read anew the results are in the listing's order already.
        let documentsInOrder =
            stale.count == files.count
            ? fresh
            : files.map { path in
                let document = documents[path]!
                return (document.parsed, document.diagnostics)
            }
        var read = ReadDocuments()
        read.articles.reserveCapacity(documentsInOrder.count)
        for (parsed, found) in documentsInOrder {
            read.diagnostics += found
            switch parsed {
            case .section(let section?): read.sections.append(section)
            case .article(let article?): read.articles.append(article)
            case .unpublishable(let links):
                read.unpublishable.append(links)
                read.failed = true
            default: read.failed = true
            }
        }
        return read
    }

    /// The site model: sections, published articles, breadcrumbs, pagination, links, URL collisions.
    private func buildModel(
        settings: SiteSettings, sections: [ParsedSection], articles: [ParsedArticle], unpublishable: [LinksToCheck],
        listing: ContentLoader.Listing, now: Date
    ) -> (Site, [Diagnostic]) {
        let content = options.contentDirectory
        let homeFile = display(content.appendingPathComponent("_index.md"))
        let assets = listing.assets.map { (contentPath: $0, file: display(content.appendingPathComponent($0))) }
        var (site, diagnostics) = SiteBuilder.build(
            settings: settings, homeFile: homeFile, sections: sections, articles: articles,
            unpublishable: unpublishable, assets: assets,
            filter: PublishFilter(
                now: PublishDate(now), includeDrafts: options.includeDrafts, includeFuture: options.includeFuture),
            keepPatching: patchable, watchdog: watchdog)
        let today = PublishDate(now).local(in: settings.timeZone).time
        site.mourning = settings.government.isMourning(year: today.year, month: today.month, day: today.day)
        for path in listing.assets where Attachments.isAttachment(path) {
            site.attachmentSizes[path] = listing.signatures[path]?.size
        }
        if !settings.government.mourningDays.isEmpty {
            // Whether pages are grey depends on the day: the same files may build otherwise from the next midnight.
            let midnight =
                (LocalDateTime.daysSince1970(year: today.year, month: today.month, day: today.day) + 1) * 86_400
            let offset = settings.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(midnight)))
            let next = PublishDate(secondsSince1970: midnight - Int64(offset))
            site.sameOutputUntil = min(site.sameOutputUntil ?? next, next)
        }
        diagnostics += assignIndexNumbers(&site)
        if settings.baseURL == nil, !site.articles.isEmpty {
            diagnostics.append(
                Diagnostic(
                    .noBaseURL, at: .init(file: homeFile), "没有设置 base_url，RSS 和 sitemap.xml 里的网址将是相对地址",
                    hint: "在 content/_index.md 里写上网站地址，例如 base_url: https://www.example.gov.cn"))
        }
        return (site, diagnostics)
    }

    /// What goes into the output besides the pages: how the site map is cut, the files copied as they are (the
    /// theme's assets and the files beside the articles), and an error for each copy that would land on a file
    /// Lanmu generates.
    private func planOutput(
        _ site: Site, listing: ContentLoader.Listing, themeAssets: [(path: String, signature: FileSignature?)],
        embeddedAssets: [String]
    ) -> (SitemapPlan, [(source: String, to: String, signature: FileSignature?)], [Diagnostic]) {
        let content = options.contentDirectory
        let sitemap = SitemapPlan(site: site)
        let themeDirectory = options.templatesDirectory.appendingPathComponent("assets")
        let clashes = OwnFiles.clashes(
            site: site, sitemap: sitemap,
            contentAssets: listing.assets.map { ($0, display(content.appendingPathComponent($0))) },
            themeAssets: themeAssets.map { ($0.path, display(themeDirectory.appendingPathComponent($0.path))) }
                + embeddedAssets.map { ($0, DefaultTheme.display("assets/" + $0)) })
        let copies =
            themeAssets.map {
                (
                    source: themeDirectory.appendingPathComponent($0.path).path, to: Permalinks.assetPath($0.path),
                    signature: $0.signature
                )
            }
            + listing.assets.map {
                (source: content.appendingPathComponent($0).path, to: $0, signature: listing.signatures[$0])
            }
        let searchClashes = OwnFiles.searchClashes(
            site: site, contentAssets: listing.assets.map { ($0, display(content.appendingPathComponent($0))) })
        return (sitemap, copies, clashes + searchClashes)
    }

    /// The default theme's assets that no asset of the site's own templates/ replaces.
    static func embeddedAssets(overriddenBy own: [(path: String, signature: FileSignature?)]) -> [String] {
        let ownPaths = Set(own.map(\.path))
        return DefaultTheme.assetPaths.filter { !ownPaths.contains($0) }
    }

    static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private func readSettings(_ url: URL, present: Bool) -> (SiteSettings, [Diagnostic]) {
        settingsDigest = 0
        guard present else { return (SiteSettings(), []) }
        switch loader.read(url) {
        case .success(let bytes):
            settingsDigest = bytes.withUnsafeBytes(RecordCache.checksum)
            return DocumentParser.settings(from: bytes, file: display(url))
        case .failure(let diagnostic): return (SiteSettings(), [diagnostic])
        }
    }

    func loadTemplates() -> (CachedTemplates, [(path: String, signature: FileSignature?)]) {
        let directory = options.templatesDirectory
        let ownFolder = Self.isFolder(directory)
        guard ownFolder || !options.templatesNamed else {
            templates = nil
            everythingChangedInLastLoad = true
            let missing = Diagnostic(
                .fileSystem, at: .init(file: display(directory)), "找不到模板目录 \(display(directory))",
                hint: "在站点目录里运行 lanmu，或用 --site / --templates 指定目录；模板可以从 Lanmu 自带的 templates/ 复制")
            return (
                CachedTemplates(signatures: [:], library: nil, diagnostics: [missing], revision: nextRevision()), []
            )
        }
        // Without a templates/ folder of its own, the site builds with the default theme alone.
        let listing = ownFolder ? loader.list(directory) : ContentLoader.Listing()
        var assets: [(path: String, signature: FileSignature?)] = []
        var sourcePaths: [String] = []
        for path in listing.assets {
            if path.hasPrefix("assets/") {
                assets.append((String(path.dropFirst("assets/".count)), listing.signatures[path]))
            } else if path.hasSuffix(".mustache") {
                sourcePaths.append(path)
            }
        }
        let signatures = Dictionary(uniqueKeysWithValues: sourcePaths.map { ($0, listing.signatures[$0]!) })
        if let cached = templates, cached.signatures == signatures, listing.diagnostics.isEmpty {
            return (cached, assets)
        }
        everythingChangedInLastLoad = true
        var diagnostics = listing.diagnostics
        // The default theme, with the site's own templates put over it file by file.
        var sources = DefaultTheme.templates
        var own: Set<String> = []
        for path in sourcePaths {
            let url = directory.appendingPathComponent(path)
            switch loader.read(url).flatMap({ TextDecoding.decode($0, file: display(url)) }) {
            case .success(let text):
                let name = String(path.dropLast(".mustache".count))
                sources[name] = text
                own.insert(name)
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        let (library, found) = TemplateLibrary.make(
            sources: sources,
            display: {
                own.contains($0)
                    ? self.display(directory.appendingPathComponent($0 + ".mustache"))
                    : DefaultTheme.display($0 + ".mustache")
            }, chunkBytes: options.templateChunkBytes)
        let loaded = CachedTemplates(
            signatures: signatures, library: library, diagnostics: diagnostics + found, revision: nextRevision())
        templates = loaded
        return (loaded, assets)
    }
}
