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

/// A site loaded and checked, ready to render.
struct LoadedSite: Sendable {
    var site: Site
    var templates: TemplateLibrary
    /// Files copied as they are: absolute source path and output path.
    var copies: [(source: String, to: String)]
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
        let (loaded, diagnostics) = load(now: now)
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
        let (loaded, loadDiagnostics) = load(now: now, progress: progress)
        var report = BuildReport(diagnostics: loadDiagnostics.sortedForDisplay())
        guard let loaded, report.succeeded else { return report }
        report.articleCount = loaded.site.articles.count

        let renderer = SiteRenderer(site: loaded.site, templates: loaded.templates)
        let jobs = renderer.jobs(copies: loaded.copies)
        let output = OutputDirectory(url: options.outputDirectory, display: display(options.outputDirectory))
        if jobs.count >= 2000 { progress?("正在写入 \(jobs.count) 个文件……") }
        do {
            let staging = try output.makeStaging()
            do {
                let writer = FileTreeWriter(root: staging)
                try writer.makeDirectories(jobs.map { ($0.path as NSString).deletingLastPathComponent })
                let failures = Parallel.map(jobs) { path, job -> String? in
                    do {
                        if case .copy(let source, let target) = job {
                            try writer.copy(from: URL(fileURLWithPath: source), to: target)
                        } else if let text = renderer.render(job) {
                            try writer.write(text.utf8, to: path)
                        }
                        return nil
                    } catch {
                        return "\(error)"
                    }
                }
                if let failure = failures.lazy.compactMap({ $0 }).first {
                    throw SystemCallError(.EIO, path: failure)
                }
                try output.replace(with: staging)
            } catch {
                // The staging directory is ours; the previous output was not touched.
                try? FileManager.default.removeItem(at: staging)
                throw error
            }
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

    /// Renders every output file into memory, keyed by output path (for the preview server and tests).
    func renderInMemory(now: Date) -> ([String: [UInt8]], BuildReport) {
        let (loaded, diagnostics) = load(now: now)
        var report = BuildReport(diagnostics: diagnostics.sortedForDisplay())
        guard let loaded, report.succeeded else { return ([:], report) }
        let renderer = SiteRenderer(site: loaded.site, templates: loaded.templates)
        let jobs = renderer.jobs(copies: loaded.copies)
        let loader = ContentLoader(display: display)
        let bytes = Parallel.map(jobs) { _, job -> [UInt8] in
            if case .copy(let source, _) = job {
                // A copy that cannot be read was listed a moment ago; an empty file shows it in the preview.
                return (try? loader.read(URL(fileURLWithPath: source)).get()) ?? []
            }
            return Array(renderer.render(job)!.utf8)
        }
        var files: [String: [UInt8]] = [:]
        for (job, content) in zip(jobs, bytes) { files[job.path] = content }
        report.articleCount = loaded.site.articles.count
        report.pageCount = jobs.count { $0.job.isPage }
        report.fileCount = jobs.count
        return (files, report)
    }

    // MARK: Loading

    func load(now: Date, progress: (@Sendable (String) -> Void)? = nil) -> (LoadedSite?, [Diagnostic]) {
        let loader = ContentLoader(display: display)
        var diagnostics: [Diagnostic] = []
        let content = options.contentDirectory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            return (
                nil,
                [
                    Diagnostic(
                        .fileSystem, at: .init(file: display(content)), "找不到内容目录 \(display(content))",
                        hint: "在站点目录里运行 lanmu，或用 --site / --content 指定目录")
                ]
            )
        }
        let listing = loader.list(content)
        diagnostics += listing.diagnostics

        let homeURL = content.appendingPathComponent("_index.md")
        let homeFile = display(homeURL)
        var settings = SiteSettings()
        if listing.markdown.contains("_index.md") {
            switch loader.read(homeURL) {
            case .success(let bytes):
                let (read, found) = DocumentParser.settings(from: bytes, file: homeFile)
                settings = read
                diagnostics += found
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        if let baseURL = options.baseURL {
            settings.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        }

        let parser = DocumentParser(
            settings: settings, renderer: MarkdownRenderer(options: .init(rawHTML: settings.rawHTML)))
        let files = listing.markdown.filter { $0 != "_index.md" }
        if files.count >= 1000 { progress?("正在读取 \(files.count) 个 Markdown 文件……") }
        enum Parsed {
            case section(ParsedSection?)
            case article(ParsedArticle?)
        }
        let results = Parallel.map(files) { path -> (Parsed, [Diagnostic]) in
            let url = content.appendingPathComponent(path)
            let file = display(url)
            let bytes: [UInt8]
            switch loader.read(url) {
            case .success(let read): bytes = read
            case .failure(let diagnostic): return (.article(nil), [diagnostic])
            }
            if path == "_index.md" || path.hasSuffix("/_index.md") {
                let segments = path.split(separator: "/").dropLast().map(String.init)
                let (section, found) = parser.section(from: bytes, segments: segments, file: file)
                return (.section(section), found)
            }
            let (article, found) = parser.article(from: bytes, contentPath: path, file: file)
            return (.article(article), found)
        }
        var sections: [ParsedSection] = []
        var articles: [ParsedArticle] = []
        var parseFailed = false
        for (parsed, found) in results {
            diagnostics += found
            switch parsed {
            case .section(let section?): sections.append(section)
            case .article(let article?): articles.append(article)
            default: parseFailed = true
            }
        }

        let assets = listing.assets.map { (contentPath: $0, file: display(content.appendingPathComponent($0))) }
        let (site, modelDiagnostics) = SiteBuilder.build(
            settings: settings, homeFile: homeFile, sections: sections, articles: articles, assets: assets,
            filter: PublishFilter(
                now: PublishDate(now), includeDrafts: options.includeDrafts, includeFuture: options.includeFuture))
        diagnostics += modelDiagnostics
        if settings.baseURL == nil, !site.articles.isEmpty {
            diagnostics.append(
                Diagnostic(
                    .noBaseURL, at: .init(file: homeFile), "没有设置 base_url，RSS 和 sitemap.xml 里的网址将是相对地址",
                    hint: "在 content/_index.md 里写上网站地址，例如 base_url: https://www.example.gov.cn"))
        }

        let (templates, templateDiagnostics, themeAssets) = loadTemplates(loader)
        diagnostics += templateDiagnostics
        guard let templates, !parseFailed, !diagnostics.containsErrors else { return (nil, diagnostics) }
        let copies =
            themeAssets.map {
                (source: options.templatesDirectory.appendingPathComponent("assets/" + $0).path, to: "assets/" + $0)
            }
            + listing.assets.map { (source: content.appendingPathComponent($0).path, to: $0) }
        return (LoadedSite(site: site, templates: templates, copies: copies), diagnostics)
    }

    private func loadTemplates(_ loader: ContentLoader) -> (TemplateLibrary?, [Diagnostic], [String]) {
        let directory = options.templatesDirectory
        let listing = loader.list(directory)
        var diagnostics = listing.diagnostics
        var sources: [String: String] = [:]
        var assets: [String] = []
        for path in listing.assets {
            if path.hasPrefix("assets/") {
                assets.append(String(path.dropFirst("assets/".count)))
                continue
            }
            guard path.hasSuffix(".mustache") else { continue }
            let url = directory.appendingPathComponent(path)
            switch loader.read(url).flatMap({ TextDecoding.decode($0, file: display(url)) }) {
            case .success(let text): sources[String(path.dropLast(".mustache".count))] = text
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        let (library, found) = TemplateLibrary.make(sources: sources) {
            display(directory.appendingPathComponent($0 + ".mustache"))
        }
        return (library, diagnostics + found, assets)
    }

    private func outputProblem() -> Diagnostic? {
        OutputDirectory(url: options.outputDirectory, display: display(options.outputDirectory)).problem(
            siteRoot: options.siteRoot, protected: [options.contentDirectory, options.templatesDirectory])
    }

    /// A path as shown to the user: relative to the site root when inside it.
    func display(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let root = options.siteRoot.path.hasSuffix("/") ? options.siteRoot.path : options.siteRoot.path + "/"
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }
}
