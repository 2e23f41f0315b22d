import Foundation

/// One output file held in memory by the preview.
public struct ServedFile: Sendable {
    public var bytes: [UInt8]
    /// A strong validator of the bytes, quoted as HTTP wants it.
    public var etag: String
}

/// What one rebuild of the preview did.
public struct RebuildSummary: Sendable {
    /// Every problem found; with an error, the last good site stays in place.
    public var diagnostics: [Diagnostic] = []
    /// Markdown and template files read anew (the rest came from the cache).
    public var filesRead = 0
    /// Pages and files rendered again.
    public var rendered = 0
    /// Output paths whose bytes changed, added or removed.
    public var changedPaths: [String] = []
    /// Wall time of the rebuild.
    public var milliseconds = 0.0
    /// Whether only articles' text changed, so the last model was patched and only the pages that show those
    /// articles were looked at (else the model was built anew and every page's fingerprint compared).
    public var patched = false

    public var succeeded: Bool { !diagnostics.containsErrors }
}

/// The site built into memory, for `lanmu serve`: each rebuild reads only the files that changed and renders only
/// the pages whose inputs changed; the files of the last good build stay served when a rebuild fails.
public final class LiveSite: @unchecked Sendable {
    private let session: SiteSession
    private let lock = NSLock()
    private var files: [String: ServedFile] = [:]
    private var fingerprints: [String: Int] = [:]
    private var templatesRevision = -1
    /// The renderer and jobs of the last good rebuild: a patched rebuild keeps the jobs (no path changed).
    private var last: (renderer: SiteRenderer, jobs: [(path: String, job: OutputJob)])?
    /// The ids of the last good build's articles.
    private var articleIDs: Set<String> = []

    /// Creates an empty preview of a site; call `rebuild` to fill it.
    public init(options: BuildOptions) {
        session = SiteSession(options: options, patchable: true)
    }

    /// The file at an output path (`sanfuwu/shixian/index.html`), if the last good build has one.
    public func file(at path: String) -> ServedFile? {
        lock.withLock { files[path] }
    }

    /// Whether an id is an article's in the last good build (the preview's counter counts no other).
    public func hasArticle(id: String) -> Bool {
        lock.withLock { articleIDs.contains(id) }
    }

    /// Every output path of the last good build.
    public var paths: [String] { lock.withLock { Array(files.keys) } }

    /// Reads what changed and renders what depends on it. Call from one task at a time.
    /// - Parameter changedPaths: absolute paths a file watcher reported; nil looks at every file.
    public func rebuild(now: Date, changedPaths: [String]? = nil) -> RebuildSummary {
        let started = DispatchTime.now()
        var summary = RebuildSummary()
        // Every body stays in memory: pages are rendered again on every edit.
        let (loaded, diagnostics) = session.load(now: now, changedPaths: changedPaths, bodies: .keep)
        summary.diagnostics = diagnostics.sortedForDisplay()
        summary.filesRead = session.filesReadInLastLoad
        guard let loaded, summary.succeeded else {
            summary.milliseconds = Self.milliseconds(since: started)
            return summary
        }
        if session.everythingChangedInLastLoad || loaded.templatesRevision != templatesRevision {
            fingerprints.removeAll()
            templatesRevision = loaded.templatesRevision
            lock.withLock { last = nil }
        }
        let renderer = SiteRenderer(
            site: loaded.site, templates: loaded.templates, sitemap: loaded.sitemap, search: loaded.search,
            watchdog: session.watchdog)
        if let patchedArticles = loaded.patchedArticles, let previous = last?.jobs {
            // Only these articles' text changed: only the pages that show them can differ, and the search index,
            // whose files are named by its version.
            let search = renderer.searchJobs
            let jobs = previous.filter { !$0.job.isSearch } + search
            let live = Set(search.map(\.path))
            lock.withLock {
                for (path, job) in previous where job.isSearch && !live.contains(path) {
                    files[path] = nil
                    fingerprints[path] = nil
                    summary.changedPaths.append(path)
                }
            }
            render(renderer.jobs(showingArticles: patchedArticles), renderer: renderer, into: &summary)
            lock.withLock { last = (renderer, jobs) }
            summary.patched = true
            summary.milliseconds = Self.milliseconds(since: started)
            return summary
        }
        let jobs = renderer.jobs(copies: loaded.copies, themeAssets: loaded.themeAssets)
        var signatures: [String: FileSignature] = [:]
        for copy in loaded.copies { signatures[copy.source] = copy.signature }
        let current = lock.withLock { files }

        var newFingerprints: [String: Int] = [:]
        var toRender: [(path: String, job: OutputJob)] = []
        for (path, job) in jobs {
            let fingerprint = renderer.fingerprint(job, signatures: signatures)
            if let fingerprint { newFingerprints[path] = fingerprint }
            if let fingerprint, fingerprints[path] == fingerprint, current[path] != nil { continue }
            toRender.append((path, job))
        }
        let ids = Set(loaded.site.articles.lazy.map(\.id))
        lock.withLock {
            last = (renderer, jobs)
            articleIDs = ids
        }
        let loader = ContentLoader { $0.path }
        let rendered = Parallel.map(toRender) { _, job -> [UInt8] in
            if case .copy(let source, _) = job {
                // A file listed a moment ago that cannot be read now is served empty until the next rebuild. An
                // attachment may be larger than any text file.
                return (try? loader.read(URL(fileURLWithPath: source), limit: .max).get()) ?? []
            }
            if case .themeAsset(let asset) = job { return DefaultTheme.asset(asset) }
            return Self.page(job, renderer: renderer)
        }
        var next = current
        let livePaths = Set(jobs.map(\.path))
        for path in current.keys where !livePaths.contains(path) {
            next[path] = nil
            summary.changedPaths.append(path)
        }
        for ((path, _), bytes) in zip(toRender, rendered) where current[path]?.bytes != bytes {
            next[path] = ServedFile(bytes: bytes, etag: Self.etag(bytes))
            summary.changedPaths.append(path)
        }
        summary.changedPaths.sort()
        summary.rendered = toRender.count
        fingerprints = newFingerprints
        lock.withLock { files = next }
        summary.milliseconds = Self.milliseconds(since: started)
        return summary
    }

    /// Renders the jobs whose fingerprint changed and puts the files that differ in place.
    private func render(
        _ jobs: [(path: String, job: OutputJob)], renderer: SiteRenderer, into summary: inout RebuildSummary
    ) {
        var toRender: [(path: String, job: OutputJob, fingerprint: Int?)] = []
        lock.withLock {
            for (path, job) in jobs {
                let fingerprint = renderer.fingerprint(job)
                if let fingerprint, fingerprints[path] == fingerprint, files[path] != nil { continue }
                toRender.append((path, job, fingerprint))
            }
        }
        let rendered = toRender.map { Self.page($0.job, renderer: renderer) }
        lock.withLock {
            for (job, bytes) in zip(toRender, rendered) {
                fingerprints[job.path] = job.fingerprint
                guard files[job.path]?.bytes != bytes else { continue }
                files[job.path] = ServedFile(bytes: bytes, etag: Self.etag(bytes))
                summary.changedPaths.append(job.path)
            }
        }
        summary.changedPaths.sort()
        summary.rendered = toRender.count
    }

    /// The inspection's checks (`lanmu audit`) over the last good build, as of the day `now` falls on in the site's
    /// time zone; nil before a build has succeeded.
    public func audit(now: Date) -> AuditReport? {
        guard let (renderer, jobs) = lock.withLock({ last }) else { return nil }
        let copied = jobs.compactMap { job -> String? in
            switch job.job {
            case .copy(_, let target): target
            case .themeAsset: job.path
            default: nil
            }
        }
        let local = PublishDate(now).local(in: renderer.site.settings.timeZone).time
        let today = LocalDateTime.daysSince1970(year: local.year, month: local.month, day: local.day)
        do {
            return try SiteAudit(renderer: renderer, copied: copied, today: today).run()
        } catch {
            preconditionFailure("the preview keeps every body in memory, yet one did not come back: \(error)")
        }
    }

    /// Whether the fingerprints kept for every file equal the ones worked out from scratch for the current
    /// model (tests: a patched rebuild must leave them as a full one would).
    func fingerprintsAreCurrent() -> Bool {
        guard let last else { return false }
        return lock.withLock {
            last.jobs.allSatisfy { path, job in
                if case .copy = job { return true }
                if case .themeAsset = job { return true }
                return fingerprints[path] == last.renderer.fingerprint(job)
            }
        }
    }

    /// A generated file's bytes: the preview keeps every body in memory, so none fails to come back.
    private static func page(_ job: OutputJob, renderer: SiteRenderer) -> [UInt8] {
        do {
            return Array(try renderer.renderPage(job).utf8)
        } catch {
            preconditionFailure("the preview keeps every body in memory, yet one did not come back: \(error)")
        }
    }

    /// FNV-1a over the bytes: a validator, not a security measure.
    public static func etag(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return "\"" + String(hash, radix: 16) + "-" + String(bytes.count, radix: 16) + "\""
    }

    private static func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000
    }
}
