import Foundation

/// Where a site's files are and what a run publishes.
public struct BuildOptions: Sendable {
    public var siteRoot: URL
    public var contentDirectory: URL
    public var templatesDirectory: URL
    /// Whether the templates folder was named (`--templates`): a named folder that is missing is an error, while a
    /// site without its own `templates/` builds with the default theme carried by the binary.
    public var templatesNamed: Bool
    public var outputDirectory: URL
    public var includeDrafts = false
    public var includeFuture = false
    /// Overrides the `base_url` site setting (`--base-url`).
    public var baseURL: String?
    /// View counts by article id, written into the article pages (`--counts`, the CSV of `lanmu counter export`).
    public var counts: [String: Int]?
    /// How long one article's Markdown may take to render before `onRenderTimeout` hears of it.
    public var renderTimeLimit: Duration = .seconds(10)
    /// Told once about each article whose render runs past `renderTimeLimit`, from a background thread. libcmark
    /// cannot be interrupted, so the run may never return: `lanmu build` and `check` stop at the first, `lanmu serve`
    /// reports it and keeps serving.
    public var onRenderTimeout: (@Sendable (Diagnostic) -> Void)?
    /// Whether the process ends right after the build (`lanmu build`): the loaded files, the model and the page list
    /// are then left for the exit to reclaim at once, instead of being freed object by object on one core.
    public var exitsAfterBuild = false
    /// Whether `build` reads and writes the site's build cache (`.lanmu-cache/`); false is `--no-cache`: a full
    /// build through a staging folder that trusts nothing from earlier builds, and writes no cache.
    public var usesCache = true
    /// Whether `build` lists the output files it removed too (`--changes`; added and changed ones come free).
    public var listsRemovedFiles = false
    /// Up to this many Markdown files, article bodies stay in memory from reading to writing; above it a build keeps
    /// only each article's metadata and parks the rendered body in a spill file until it writes the page
    /// (`BodySpill`), so that memory does not grow with the bodies of the archive. The preview always keeps them.
    /// The environment variable `LANMU_KEEP_BODIES_UP_TO` sets it (for benchmarks and tests of large builds).
    var keepBodiesUpTo = BuildOptions.keepBodiesUpToFromEnvironment ?? 100_000
    var freesModelAfterBuild: Bool { !exitsAfterBuild }
    /// Site search postings longer than this many bytes get a file of their own (smaller in tests, so that a small
    /// corpus takes that path too).
    var searchOwnFileFrom = SearchIndex.ownFileFrom
    /// How long the runs are that long templates are parsed in (`TemplateChunks`; tests make it small).
    var templateChunkBytes = TemplateChunks.defaultBytes

    private static let keepBodiesUpToFromEnvironment = ProcessInfo.processInfo.environment["LANMU_KEEP_BODIES_UP_TO"]
        .flatMap(Int.init).flatMap { $0 >= 0 ? $0 : nil }

    /// Options for a site root; the other folders default to its `content/`, `templates/` and `public/`.
    public init(siteRoot: URL, content: URL? = nil, templates: URL? = nil, output: URL? = nil) {
        self.siteRoot = siteRoot.standardizedFileURL
        self.contentDirectory = (content ?? siteRoot.appendingPathComponent("content")).standardizedFileURL
        self.templatesDirectory = (templates ?? siteRoot.appendingPathComponent("templates")).standardizedFileURL
        self.templatesNamed = templates != nil
        self.outputDirectory = (output ?? siteRoot.appendingPathComponent("public")).standardizedFileURL
    }
}

/// What a run did.
public struct BuildReport: Sendable {
    /// Every problem found, errors and warnings, in display order.
    public var diagnostics: [Diagnostic] = []
    /// Articles published.
    public var articleCount = 0
    /// HTML pages rendered.
    public var pageCount = 0
    /// Files in the output, pages included.
    public var fileCount = 0
    /// Drafts and future-dated articles not generated, in content path order.
    public var heldBack: [HeldBackArticle] = []
    /// What the build changed in the output; empty when nothing changed.
    public var changes = OutputChanges()
    /// Until when the same files give the same output (`Site.sameOutputUntil`, for the build cache).
    var sameOutputUntil: PublishDate?
    /// Whether the output was updated file by file in place rather than written anew beside it and swapped in.
    var updatedInPlace = false
    /// Whether the build cache showed that no input changed since the last build, so nothing was read or written.
    public var nothingChanged = false
    /// How many content files the build read and parsed (the others' articles came from the records cache).
    var filesRead = 0
    /// How many output files the build neither rendered nor compared: their inputs' digests and the live files were
    /// as the last build left them (`PageDigests`).
    var filesSkipped = 0

    /// `另有 2 篇草稿、1 篇定时发布（2026-12-08 09:00）未生成`, or nil when every article was generated.
    public var heldBackSummary: String? { heldBack.summary }

    /// Whether the run found no error.
    public var succeeded: Bool { !diagnostics.containsErrors }
}

/// Runs the pipeline: listing → reading and parsing → site model → output plan → writing. `build` and `check`
/// (and the preview's `LiveSite`) are drivers over the same stages.
public struct Generator: Sendable {
    public var options: BuildOptions

    /// Creates a generator for the given options.
    public init(options: BuildOptions) {
        self.options = options
        // A symbolic link as the output (`public -> /srv/www/site`): the folder it leads to is the output.
        self.options.outputDirectory = OutputDirectory.followingLink(options.outputDirectory)
    }

    /// Everything `build` checks, with nothing written.
    public func check(now: Date) -> BuildReport {
        let (loaded, diagnostics) = SiteSession(options: options).load(now: now, bodies: .drop)
        var report = BuildReport(diagnostics: diagnostics.sortedForDisplay())
        if let loaded {
            report.articleCount = loaded.site.articles.count
            report.heldBack = loaded.site.heldBack
        }
        if let problem = outputProblem() { report.diagnostics.append(problem) }
        return report
    }

    /// Builds the site into the output directory; on any error the previous output is left exactly as it was.
    /// - Parameter progress: called with a line of Chinese text at each stage of a large build.
    public func build(now: Date, progress: (@Sendable (String) -> Void)? = nil) -> BuildReport {
        if let problem = outputProblem() { return BuildReport(diagnostics: [problem]) }
        StageTimes.start()
        let cache = BuildCache(siteRoot: options.siteRoot)
        // One build of a site at a time; held until this function returns.
        let lock = BuildLock(folder: cache.folder) { progress?("另一个 lanmu build 正在生成这个站点，等它结束……") }
        defer { withExtendedLifetime(lock) {} }
        // A build killed while it updated the output in place left an undo folder: the previous output comes back.
        if lock != nil { InPlaceUpdate.recoverLeftovers(of: options.outputDirectory) }
        let session = SiteSession(options: options)
        let key = BuildCache.key(for: options)
        // Baked view counts are an input the cache does not track: such a build reads and writes no cache (and, as
        // every full build, removes the one there), so the next build without them is a full one.
        let usesCache = options.usesCache && options.counts == nil
        var cacheWarnings: [Diagnostic] = []
        var previous: BuildCache.State?
        if lock != nil, usesCache {
            switch cache.read(key: key) {
            case .missing: break
            case .unusable(let reason):
                cacheWarnings.append(
                    Diagnostic(
                        .unusableBuildCache, at: .init(file: display(cache.folder)),
                        "生成缓存不可用（\(reason)），这次完整生成",
                        hint: "不用处理：生成完成后缓存会重新写好；也可以删除 \(BuildCache.folderName)/ 目录"))
            case .state(let state): previous = state
            }
        }
        // The listing is taken once, before anything is read: a file changed during the build differs from it
        // next time, and is read then.
        let listedAt = Date()
        let listing = session.loader.list(options.contentDirectory)
        // Without a templates/ folder the site builds with the theme inside the executable (in the cache's key).
        let templates =
            SiteSession.isFolder(options.templatesDirectory)
            ? session.loader.list(options.templatesDirectory) : ContentLoader.Listing()
        StageTimes.mark("列出文件、读缓存")
        if let previous, let report = unchanged(since: previous, listing: listing, templates: templates, now: now) {
            StageTimes.mark("比对：没有变化")
            return report
        }
        // The last build's page digests, for an update in place of the same output folder (not one put in its place).
        var pages: PageDigests?
        if let previous, lock != nil, usesCache,
            FileSignature(path: options.outputDirectory.path)?.inode == previous.output.inode
        {
            switch PageDigests.read(folder: cache.folder, key: key) {
            case .missing: break
            case .unusable(let reason):
                cacheWarnings.append(
                    Diagnostic(
                        .unusableBuildCache,
                        at: .init(file: display(cache.folder.appendingPathComponent(PageDigests.fileName))),
                        "生成缓存里的页面摘要不可用（\(reason)），这次比对每个页面",
                        hint: "不用处理：生成完成后缓存会重新写好；也可以删除 \(BuildCache.folderName)/ 目录"))
            case .digests(let digests): pages = digests
            }
        }
        StageTimes.mark("读页面摘要")
        // Digests describe the output as the last build with the cache left it: any other build changes it.
        if lock != nil { PageDigests.remove(folder: cache.folder, ifFor: options.outputDirectory.path) }
        if lock != nil, options.usesCache { cache.invalidate() }
        if listing.diagnostics.isEmpty, SiteSession.isFolder(options.contentDirectory) {
            session.contentListing = listing
        }
        let inPlace = previous.map { Self.fewChanged(since: $0, listing: listing, templates: templates) } ?? false
        if lock != nil, usesCache {
            session.recordsPlan = (cache.folder, key, listedAt)
        }
        let digesting = lock != nil && usesCache ? (key: key, previous: inPlace ? pages : nil) : nil
        var (report, made) = fullBuild(
            session, listedAlready: session.contentListing != nil, inPlace: inPlace, digesting: digesting, now: now,
            progress: progress)
        report.filesRead = session.filesReadInLastLoad
        if let records = session.records {
            if let problem = records.problem {
                cacheWarnings.append(
                    Diagnostic(
                        .unusableBuildCache,
                        at: .init(file: display(cache.folder.appendingPathComponent(RecordCache.fileName))),
                        "生成缓存里的文章记录不可用（\(problem)），这些文章重新读取",
                        hint: "不用处理：生成完成后缓存会重新写好；也可以删除 \(BuildCache.folderName)/ 目录"))
            }
            if report.succeeded { records.commit() } else { records.discard() }
            StageTimes.mark("写文章记录")
        }
        if report.succeeded, lock != nil, usesCache,
            let output = FileSignature(path: options.outputDirectory.path), listing.diagnostics.isEmpty,
            templates.diagnostics.isEmpty
        {
            // A cache that cannot be written costs the next build its speed, nothing else.
            try? cache.write(
                BuildCache.State(
                    key: key, content: BuildCache.settled(listing.signatures, listedAt: listedAt),
                    templates: BuildCache.settled(templates.signatures, listedAt: listedAt), output: output,
                    sameOutputUntil: report.sameOutputUntil, articleCount: report.articleCount,
                    pageCount: report.pageCount, fileCount: report.fileCount, heldBack: report.heldBack,
                    diagnostics: report.diagnostics))
        }
        if report.succeeded, let made {
            try? made.digests.write(
                folder: cache.folder, output: options.outputDirectory.path, key: key, order: made.order)
            StageTimes.mark("写页面摘要")
        }
        report.diagnostics = (cacheWarnings + report.diagnostics).sortedForDisplay()
        StageTimes.mark("写状态")
        return report
    }

    /// The last build's report when nothing it read has changed since: the same content and template files (by
    /// `stat`), the same output folder, and no article held back whose date has come.
    private func unchanged(
        since previous: BuildCache.State, listing: ContentLoader.Listing, templates: ContentLoader.Listing, now: Date
    ) -> BuildReport? {
        guard listing.diagnostics.isEmpty, templates.diagnostics.isEmpty, previous.content == listing.signatures,
            previous.templates == templates.signatures,
            FileSignature(path: options.outputDirectory.path) == previous.output,
            previous.sameOutputUntil.map({ $0 > PublishDate(now) }) ?? true
        else { return nil }
        var report = BuildReport(diagnostics: previous.diagnostics)
        report.articleCount = previous.articleCount
        report.pageCount = previous.pageCount
        report.fileCount = previous.fileCount
        report.heldBack = previous.heldBack
        report.nothingChanged = true
        return report
    }

    /// Whether so few inputs changed since the cached build that the output is best updated in place: the same
    /// templates and settings, and at most a quarter of the content files added, changed or removed. Only a
    /// question of speed: both ways write the same output.
    static func fewChanged(
        since previous: BuildCache.State, listing: ContentLoader.Listing, templates: ContentLoader.Listing
    ) -> Bool {
        guard previous.templates == templates.signatures,
            previous.content["_index.md"] == listing.signatures["_index.md"]
        else { return false }
        // One lookup a listed file: a file changed or added counts once, and so does each cached one not listed.
        var changed = 0
        var cached = 0
        for (path, signature) in listing.signatures {
            let before = previous.content[path]
            if before != nil { cached += 1 }
            if before != signature { changed += 1 }
        }
        changed += previous.content.count - cached
        return changed * 4 <= listing.signatures.count
    }

    /// Loads, renders and writes the whole site.
    /// - Parameter digesting: with the cache, its key and the last build's page digests (for an update in place):
    ///   the build digests every job, and skips those whose digest and live file are as the last build left them.
    /// - Returns: the report, and with `digesting` the digests made, with the jobs' paths in order.
    private func fullBuild(
        _ session: SiteSession, listedAlready: Bool, inPlace: Bool,
        digesting: (key: String, previous: PageDigests?)?, now: Date, progress: (@Sendable (String) -> Void)?
    ) -> (BuildReport, (digests: PageDigests, order: [String])?) {
        let (loaded, loadDiagnostics) = session.load(
            now: now, changedPaths: listedAlready ? [] : nil, bodies: bodyPlan, progress: progress)
        var report = BuildReport(diagnostics: loadDiagnostics.sortedForDisplay())
        StageTimes.mark("模型、模板、输出计划")
        guard let loaded, report.succeeded else { return (report, nil) }
        report.articleCount = loaded.site.articles.count
        report.heldBack = loaded.site.heldBack
        report.sameOutputUntil = loaded.site.sameOutputUntil

        let renderer = SiteRenderer(
            site: loaded.site, templates: loaded.templates, sitemap: loaded.sitemap, bodies: loaded.bodies,
            search: loaded.search, watchdog: session.watchdog)
        let jobs = renderer.jobs(copies: loaded.copies, themeAssets: loaded.themeAssets)
        if !options.freesModelAfterBuild { Self.leaveForExit(session, loaded, jobs) }
        var writing: SiteWriter.Digesting?
        if let digesting {
            // What every page depends on: the executable, folders and options, the settings' bytes, the templates.
            var base = StableHasher()
            base.combine(digesting.key)
            base.combine(session.settingsDigest)
            base.combine(loaded.templates.digest)
            var signatures: [String: FileSignature] = [:]
            for copy in loaded.copies { signatures[copy.source] = copy.signature }
            writing = SiteWriter.Digesting(
                structure: renderer.structureDigest(base: base.finalize()), signatures: signatures,
                articleShowsTotal: loaded.templates.articleShowsTotal, previous: digesting.previous)
        }
        do {
            let writer = SiteWriter(output: outputDirectory)
            report.updatedInPlace = inPlace && FileManager.default.fileExists(atPath: options.outputDirectory.path)
            report.changes =
                report.updatedInPlace
                ? try writer.update(jobs, with: renderer, progress: progress, digesting: writing)
                : try writer.write(
                    jobs, with: renderer, progress: progress, listsRemoved: options.listsRemovedFiles,
                    digesting: writing)
        } catch {
            report.diagnostics.append(error.diagnostic)
            return (report, nil)
        }
        StageTimes.mark(
            report.updatedInPlace
                ? "生成、比对、就地写入（\(writing?.made.skipped ?? 0) 个文件摘要未变，未生成）" : "生成、写入暂存目录并换上")
        if loaded.site.indexLedgerChanged {
            let ledger = options.contentDirectory.appendingPathComponent(IndexNumbers.ledgerName)
            do {
                try Data(loaded.site.indexLedger.text.utf8).write(to: ledger, options: .atomic)
            } catch {
                report.diagnostics.append(
                    Diagnostic(
                        .fileSystem, at: .init(file: IndexNumbers.ledgerName),
                        "无法写入索引号台账：\(FileSystemProblem(error, .writing).message)",
                        hint: "检查 content/ 目录是否可写，再生成一次（网站已生成，新给的索引号要写进台账才固定下来）"))
            }
        }
        report.pageCount = jobs.count { $0.job.isPage }
        report.fileCount = jobs.count
        report.filesSkipped = writing?.made.skipped ?? 0
        return (report, writing.map { ($0.made.digests, jobs.map(\.path)) })
    }

    /// The national website inspection's checks, run over the site as it would be built (`lanmu audit`); nothing is
    /// written. Nil with the diagnostics when the site cannot be loaded.
    /// - Parameters:
    ///   - now: the clock; articles dated later are not published, as in a build.
    ///   - today: the day audited (`--today`), in the site's time zone; nil: the day `now` falls on there. Articles
    ///     dated on that day are published.
    ///   - external: how links to other sites are checked over HTTP (`--external`); nil: they are not.
    public func audit(
        now: Date, today: (year: Int, month: Int, day: Int)? = nil, external: ExternalLinks? = nil
    ) -> (
        AuditReport?, [Diagnostic]
    ) {
        var clock = now
        var day: Int64?
        if let today {
            day = LocalDateTime.daysSince1970(year: today.year, month: today.month, day: today.day)
        }
        if let day {
            // The end of that day, in the zone the settings name; the settings are read again by the load below.
            let zone = SiteSession(options: options).settingsAlone().timeZone
            let end = (day + 1) * 86_400 - 1  // 23:59:59 as if in UTC
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(end)))
            clock = Date(timeIntervalSince1970: TimeInterval(end - Int64(offset)))
        }
        let (loaded, diagnostics) = SiteSession(options: options).load(now: clock, bodies: .keep)
        guard let loaded, !diagnostics.containsErrors else { return (nil, diagnostics.sortedForDisplay()) }
        let zone = loaded.site.settings.timeZone
        let local = PublishDate(clock).local(in: zone).time
        let audited = day ?? LocalDateTime.daysSince1970(year: local.year, month: local.month, day: local.day)
        do {
            let audit = SiteAudit(loaded: loaded, today: audited, external: external)
            return (try audit.run(), diagnostics.sortedForDisplay())
        } catch {
            return (nil, diagnostics.sortedForDisplay() + [error.diagnostic])
        }
    }

    /// Where a build's bodies wait: in memory, or above `keepBodiesUpTo` files parked beside the output, on the disk
    /// that takes the pages anyway, else in the temporary folder.
    private var bodyPlan: BodyStore.Plan {
        .park(
            above: options.keepBodiesUpTo,
            inFirstOf: [
                options.outputDirectory.deletingLastPathComponent().path, FileManager.default.temporaryDirectory.path,
            ])
    }

    /// Keeps one reference to each of these for the rest of the process, so that nothing they hold is freed.
    private static func leaveForExit(_ values: Any...) {
        _ = Unmanaged.passRetained(Abandoned(values))
    }

    private final class Abandoned {
        let values: [Any]

        init(_ values: [Any]) { self.values = values }
    }

    // MARK: Loading

    /// The site loaded as `build` loads it (for tests).
    func load(now: Date, progress: (@Sendable (String) -> Void)? = nil) -> (LoadedSite?, [Diagnostic]) {
        SiteSession(options: options).load(now: now, bodies: bodyPlan, progress: progress)
    }

    private var outputDirectory: OutputDirectory {
        OutputDirectory(url: options.outputDirectory, display: display(options.outputDirectory))
    }

    private func outputProblem() -> Diagnostic? {
        outputDirectory.problem(
            siteRoot: options.siteRoot, protected: [options.contentDirectory, options.templatesDirectory])
    }

    /// A path as shown to the user: relative to the site root when inside it.
    func display(_ url: URL) -> String { SiteSession.display(url, root: options.siteRoot) }
}
