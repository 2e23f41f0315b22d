import Foundation

/// Where a site's files are and what a run publishes.
public struct BuildOptions: Sendable {
    public var siteRoot: URL
    public var contentDirectory: URL
    public var templatesDirectory: URL
    public var outputDirectory: URL
    public var includeDrafts = false
    public var includeFuture = false
    /// Overrides the `base_url` site setting (`--base-url`).
    public var baseURL: String?
    /// How long one article's Markdown may take to render before `onRenderTimeout` hears of it.
    public var renderTimeLimit: Duration = .seconds(10)
    /// Told once about each article whose render runs past `renderTimeLimit`, from a background thread. libcmark
    /// cannot be interrupted, so the run may never return: `lanmu build` and `check` stop at the first, `lanmu serve`
    /// reports it and keeps serving.
    public var onRenderTimeout: (@Sendable (Diagnostic) -> Void)?
    /// Whether the process ends right after the build (`lanmu build`): the loaded files, the model and the page list
    /// are then left for the exit to reclaim at once, instead of being freed object by object on one core.
    public var exitsAfterBuild = false
    /// Up to this many Markdown files, article bodies stay in memory from reading to writing; above it a build keeps
    /// only each article's metadata and parks the rendered body in a spill file until it writes the page
    /// (`BodySpill`), so that memory does not grow with the bodies of the archive. The preview always keeps them.
    /// The environment variable `LANMU_KEEP_BODIES_UP_TO` sets it (for benchmarks and tests of large builds).
    var keepBodiesUpTo = BuildOptions.keepBodiesUpToFromEnvironment ?? 100_000
    var freesModelAfterBuild: Bool { !exitsAfterBuild }

    private static let keepBodiesUpToFromEnvironment = ProcessInfo.processInfo.environment["LANMU_KEEP_BODIES_UP_TO"]
        .flatMap(Int.init).flatMap { $0 >= 0 ? $0 : nil }

    /// Options for a site root; the other folders default to its `content/`, `templates/` and `public/`.
    public init(siteRoot: URL, content: URL? = nil, templates: URL? = nil, output: URL? = nil) {
        self.siteRoot = siteRoot.standardizedFileURL
        self.contentDirectory = (content ?? siteRoot.appendingPathComponent("content")).standardizedFileURL
        self.templatesDirectory = (templates ?? siteRoot.appendingPathComponent("templates")).standardizedFileURL
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

    /// Whether the run found no error.
    public var succeeded: Bool { !diagnostics.containsErrors }
}

/// A problem that stopped the writing of the output.
private struct BuildFailure: Error {
    let diagnostic: Diagnostic
}

/// Runs the pipeline: load files → front matter → Markdown → site model → templates → output.
public struct Generator: Sendable {
    public var options: BuildOptions

    /// Creates a generator for the given options.
    public init(options: BuildOptions) {
        self.options = options
    }

    /// Everything `build` checks, with nothing written.
    public func check(now: Date) -> BuildReport {
        let (loaded, diagnostics) = SiteSession(options: options).load(now: now, writesPages: false)
        var report = BuildReport(diagnostics: diagnostics.sortedForDisplay())
        if let loaded {
            report.articleCount = loaded.site.articles.count
        }
        if let problem = outputProblem() { report.diagnostics.append(problem) }
        return report
    }

    /// Builds the site into the output directory; on any error the previous output is left exactly as it was.
    /// - Parameter progress: called with a line of Chinese text at each stage of a large build.
    public func build(now: Date, progress: (@Sendable (String) -> Void)? = nil) -> BuildReport {
        if let problem = outputProblem() { return BuildReport(diagnostics: [problem]) }
        let session = SiteSession(options: options)
        let (loaded, loadDiagnostics) = session.load(now: now, progress: progress)
        var report = BuildReport(diagnostics: loadDiagnostics.sortedForDisplay())
        guard let loaded, report.succeeded else { return report }
        report.articleCount = loaded.site.articles.count

        let renderer = SiteRenderer(site: loaded.site, templates: loaded.templates, sitemap: loaded.sitemap)
        let jobs = renderer.jobs(copies: loaded.copies)
        if !options.freesModelAfterBuild { Self.leaveForExit(session, loaded, jobs) }
        let output = OutputDirectory(url: options.outputDirectory, display: display(options.outputDirectory))
        if jobs.count >= 2000 { progress?("正在写入 \(jobs.count) 个文件……") }
        do {
            let staging = try output.makeStaging()
            do {
                // Files whose bytes did not change are hard-linked from the previous output, so they keep their
                // modification times and rsync or a CDN upload sends only what changed.
                let previous =
                    FileManager.default.fileExists(atPath: options.outputDirectory.path) ? options.outputDirectory : nil
                let writer = FileTreeWriter(root: staging, previous: previous)
                // The shared folders first, one by one; a folder of a file's own is made by its job, in parallel (a
                // million article folders on a disk take minutes one by one).
                try writer.makeDirectories(
                    FileTreeWriter.folders(of: jobs.lazy.filter { !$0.job.hasFolderOfItsOwn }.map(\.path)))
                let bodies = loaded.bodies
                let meter = ProgressMeter("已写入", total: jobs.count, report: progress)
                let order = Self.writingOrder(jobs, articles: renderer.site.articles)
                let failures = Parallel.map(order) { position -> Diagnostic? in
                    defer { meter?.step() }
                    let (path, job) = jobs[position]
                    do {
                        if case .copy(let source, let target) = job {
                            try writer.copy(from: URL(fileURLWithPath: source), to: target)
                        } else if case .article(let index) = job {
                            try writer.makeFolder(of: path)
                            let article = renderer.site.articles[index]
                            let html = try bodies.html(for: article)
                            try writer.write(renderer.render(job, articleHTML: html)!, to: path)
                            bodies.release(article)
                        } else if let text = renderer.render(job) {
                            if job.hasFolderOfItsOwn { try writer.makeFolder(of: path) }
                            try writer.write(text, to: path)
                        }
                        return nil
                    } catch let failure as ArticleBodies.Failure {
                        return failure.diagnostic
                    } catch {
                        return Diagnostic(
                            .fileSystem, at: .init(file: display(options.outputDirectory)), "写入输出目录失败：\(error)",
                            hint: "检查磁盘空间和目录权限；原来的输出目录没有改动")
                    }
                }
                meter?.finish()
                // The first failure in the jobs' own order, whatever order they were written in.
                if let failure = zip(order, failures).filter({ $0.1 != nil }).min(by: { $0.0 < $1.0 })?.1 {
                    throw BuildFailure(diagnostic: failure)
                }
                try output.replace(
                    with: staging, removeOldInBackground: jobs.count >= Self.removesOldOutputInBackgroundFrom)
            } catch {
                // The staging directory is ours; the previous output was not touched.
                try? FileManager.default.removeItem(at: staging)
                throw error
            }
        } catch let failure as BuildFailure {
            report.diagnostics.append(failure.diagnostic)
            return report
        } catch {
            report.diagnostics.append(
                Diagnostic(
                    .fileSystem, at: .init(file: display(options.outputDirectory)), "写入输出目录失败：\(error)",
                    hint: "检查磁盘空间和目录权限；原来的输出目录没有改动"))
            return report
        }
        report.pageCount = jobs.count { $0.job.isPage }
        report.fileCount = jobs.count
        return report
    }

    /// The order to write the jobs in (indices into `jobs`): article pages whose bodies are parked in the spill come
    /// last, in the order the bodies were parked, so the spill gives its storage back as they are written; every
    /// other job keeps its place, first. Which page is written when changes no byte of the output.
    static func writingOrder(_ jobs: [(path: String, job: OutputJob)], articles: [Article]) -> [Int] {
        var order: [Int] = []
        var parked: [(offset: Int, position: Int)] = []
        order.reserveCapacity(jobs.count)
        for (position, job) in jobs.enumerated() {
            if case .article(let index) = job.job, let offset = ArticleBodies.parkedAt(articles[index]) {
                parked.append((offset, position))
            } else {
                order.append(position)
            }
        }
        parked.sort { $0.offset < $1.offset }
        order.append(contentsOf: parked.lazy.map(\.position))
        return order
    }

    /// From this many output files on, the previous output is removed by a process of its own after the new one is
    /// in place (see `OutputDirectory.replace`); smaller ones go at once, in well under a second.
    static let removesOldOutputInBackgroundFrom = 20_000

    /// Keeps one reference to each of these for the rest of the process, so that nothing they hold is freed.
    private static func leaveForExit(_ values: Any...) {
        _ = Unmanaged.passRetained(Abandoned(values))
    }

    private final class Abandoned {
        let values: [Any]

        init(_ values: [Any]) { self.values = values }
    }

    // MARK: Loading

    func load(now: Date, progress: (@Sendable (String) -> Void)? = nil) -> (LoadedSite?, [Diagnostic]) {
        SiteSession(options: options).load(now: now, progress: progress)
    }

    private func outputProblem() -> Diagnostic? {
        OutputDirectory(url: options.outputDirectory, display: display(options.outputDirectory)).problem(
            siteRoot: options.siteRoot, protected: [options.contentDirectory, options.templatesDirectory])
    }

    /// A path as shown to the user: relative to the site root when inside it.
    func display(_ url: URL) -> String { SiteSession.display(url, root: options.siteRoot) }
}
