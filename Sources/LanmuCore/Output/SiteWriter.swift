import Foundation

/// The last stage of a build: writes every job of the output plan into a staging folder beside the output and swaps
/// it in only when every file was written; on any failure the previous output is left exactly as it was.
struct SiteWriter {
    let output: OutputDirectory
    /// From this many output files on, the previous output is removed by a process of its own after the new one is
    /// in place (see `OutputDirectory.replace`); smaller ones go at once, in well under a second.
    static let removesOldOutputInBackgroundFrom = 20_000

    /// A problem that stopped the writing; nothing of the output was changed.
    struct Failure: Error {
        let diagnostic: Diagnostic
    }

    /// Writes the jobs and puts them in the output's place; what changed against the previous output.
    /// - Parameter progress: told how far the writing is, for large builds.
    /// - Parameter listsRemoved: whether the previous output's files are listed for the removed ones (`--changes`).
    @discardableResult
    func write(
        _ jobs: [(path: String, job: OutputJob)], with renderer: SiteRenderer,
        progress: (@Sendable (String) -> Void)? = nil, listsRemoved: Bool = false, digesting: Digesting? = nil
    ) throws(Failure) -> OutputChanges {
        let staging: URL
        do {
            staging = try output.makeStaging()
        } catch {
            throw fileSystemFailure(error)
        }
        do throws(Failure) {
            let changes = try fill(
                staging, with: jobs, renderer: renderer, progress: progress, listsRemoved: listsRemoved,
                digesting: digesting)
            do {
                try output.replace(
                    with: staging, removeOldInBackground: jobs.count >= Self.removesOldOutputInBackgroundFrom)
            } catch {
                throw fileSystemFailure(error)
            }
            return changes
        } catch {
            // The staging folder is ours; the previous output was not touched. A staging folder that cannot be
            // removed now is removed by the next build (`OutputDirectory.makeStaging`).
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Updates the live output in place (`InPlaceUpdate`): only files whose bytes change are written, files no job
    /// makes any more are removed; on any failure everything is put back as it was. For builds in which few inputs
    /// changed: the staging folder would make every folder and hard link of the site again.
    func update(
        _ jobs: [(path: String, job: OutputJob)], with renderer: SiteRenderer,
        progress: (@Sendable (String) -> Void)? = nil, digesting: Digesting? = nil
    ) throws(Failure) -> OutputChanges {
        let update: InPlaceUpdate
        do {
            update = try InPlaceUpdate(output: output.url)
        } catch {
            throw fileSystemFailure(error)
        }
        if jobs.count >= 2000 { progress?("正在比较 \(jobs.count) 个文件……") }
        let meter = ProgressMeter("已比较", total: jobs.count, report: progress)
        let order = Self.writingOrder(jobs, articles: renderer.site.articles)
        let root = output.url.path + "/"
        let outcomes = Parallel.map(order) { position -> Result<Written, Failure> in
            defer { meter?.step() }
            let (path, job) = jobs[position]
            let digest = digesting?.digest(job, renderer: renderer)
            // The same inputs as when the live file was written, and the file still there with its size: left as it is.
            if let digest, let entry = digesting?.previous?.entries[path], entry.digest == digest,
                Self.isFile(root + path, size: entry.size)
            {
                if case .article(let index) = job { renderer.bodies.release(renderer.site.articles[index]) }
                return .success(Written(change: .unchanged, entry: entry, skipped: true))
            }
            do {
                let change: FileTreeWriter.Change
                let size: Int
                switch job {
                case .copy(let source, _):
                    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
                    (change, size) = (try update.put(bytes, at: path), bytes.count)
                case .themeAsset(let asset):
                    let bytes = DefaultTheme.asset(asset)
                    (change, size) = (try update.put(bytes, at: path), bytes.count)
                case .article(let index):
                    let text = try renderer.renderPage(job)
                    (change, size) = (try update.put(text, at: path), text.utf8.count)
                    renderer.bodies.release(renderer.site.articles[index])
                default:
                    let text = try renderer.renderPage(job)
                    (change, size) = (try update.put(text, at: path), text.utf8.count)
                }
                return .success(Written(change: change, entry: .init(digest: digest ?? 0, size: Int64(size))))
            } catch let failure as BodyStore.Failure {
                return .failure(Failure(diagnostic: failure.diagnostic))
            } catch {
                return .failure(fileSystemFailure(error))
            }
        }
        meter?.finish()
        let (tallied, firstFailure) = Self.tally(outcomes, order: order, jobs: jobs, into: digesting)
        var changes = tallied
        do {
            if let firstFailure { throw firstFailure }
            let written = Set(jobs.lazy.map(\.path))
            if let previous = digesting?.previous {
                // The files the last build wrote that no job makes now (a file put into the output by hand stays
                // until a full build).
                changes.removed = previous.entries.keys.filter {
                    !written.contains($0) && Self.isFile(root + $0, size: nil)
                }
            } else {
                changes.removed = FileTreeWriter.files(below: output.url.path).filter { !written.contains($0) }
            }
            for path in changes.removed { try update.remove(path) }
        } catch {
            update.rollback()
            throw (error as? Failure) ?? fileSystemFailure(error)
        }
        update.commit(removed: changes.removed)
        changes.sort()
        return changes
    }

    /// The added and modified paths of written jobs, and the first failure in the jobs' own order, whatever order
    /// they were written in.
    private static func tally(
        _ outcomes: [Result<Written, Failure>], order: [Int], jobs: [(path: String, job: OutputJob)],
        into digesting: Digesting?
    ) -> (OutputChanges, Failure?) {
        var changes = OutputChanges()
        var firstFailure: (position: Int, failure: Failure)?
        for (position, outcome) in zip(order, outcomes) {
            if case .success(let written) = outcome, let digesting {
                digesting.made.set(jobs[position].path, written.entry, skipped: written.skipped)
            }
            switch outcome {
            case .success(let written) where written.change == .added: changes.added.append(jobs[position].path)
            case .success(let written) where written.change == .modified:
                changes.modified.append(jobs[position].path)
            case .success: break
            case .failure(let failure):
                if position < firstFailure?.position ?? Int.max { firstFailure = (position, failure) }
            }
        }
        return (changes, firstFailure?.failure)
    }

    /// Writes every job into the staging folder, in parallel.
    private func fill(
        _ staging: URL, with jobs: [(path: String, job: OutputJob)], renderer: SiteRenderer,
        progress: (@Sendable (String) -> Void)?, listsRemoved: Bool, digesting: Digesting?
    ) throws(Failure) -> OutputChanges {
        // Files whose bytes did not change are hard-linked from the previous output, so they keep their
        // modification times and rsync or a CDN upload sends only what changed.
        let previous = FileManager.default.fileExists(atPath: output.url.path) ? output.url : nil
        let writer = FileTreeWriter(root: staging, previous: previous)
        // The shared folders first, one by one; a folder of a file's own is made by its job, in parallel (a million
        // article folders on a disk take minutes one by one).
        do {
            try writer.makeDirectories(
                FileTreeWriter.folders(of: jobs.lazy.filter { !$0.job.hasFolderOfItsOwn }.map(\.path)))
        } catch {
            throw fileSystemFailure(error)
        }
        if jobs.count >= 2000 { progress?("正在写入 \(jobs.count) 个文件……") }
        let meter = ProgressMeter("已写入", total: jobs.count, report: progress)
        let order = Self.writingOrder(jobs, articles: renderer.site.articles)
        let outcomes = Parallel.map(order) { position -> Result<Written, Failure> in
            defer { meter?.step() }
            let (path, job) = jobs[position]
            do {
                let (change, size) = try write(job, to: path, with: writer, renderer: renderer, digesting: digesting)
                let digest = digesting?.digest(job, renderer: renderer)
                return .success(Written(change: change, entry: .init(digest: digest ?? 0, size: size)))
            } catch let failure as BodyStore.Failure {
                return .failure(Failure(diagnostic: failure.diagnostic))
            } catch {
                return .failure(fileSystemFailure(error))
            }
        }
        meter?.finish()
        let (tallied, firstFailure) = Self.tally(outcomes, order: order, jobs: jobs, into: digesting)
        var changes = tallied
        if let firstFailure { throw firstFailure }
        if listsRemoved, let previous {
            let written = Set(jobs.lazy.map(\.path))
            changes.removed = FileTreeWriter.files(below: previous.path).filter { !written.contains($0) }
        }
        changes.sort()
        return changes
    }

    /// Writes one job; what became of its file and its size (-1 when not known: a copy without a signature).
    private func write(
        _ job: OutputJob, to path: String, with writer: FileTreeWriter, renderer: SiteRenderer, digesting: Digesting?
    ) throws -> (FileTreeWriter.Change, Int64) {
        switch job {
        case .copy(let source, let target):
            let change = try writer.copy(from: URL(fileURLWithPath: source), to: target)
            return (change, digesting?.signatures[source]?.size ?? -1)
        case .themeAsset(let asset):
            let bytes = DefaultTheme.asset(asset)
            return (try writer.write(bytes, to: path), Int64(bytes.count))
        case .article(let index):
            try writer.makeFolder(of: path)
            let text = try renderer.renderPage(job)
            let change = try writer.write(text, to: path)
            renderer.bodies.release(renderer.site.articles[index])
            return (change, Int64(text.utf8.count))
        default:
            if job.hasFolderOfItsOwn { try writer.makeFolder(of: path) }
            let text = try renderer.renderPage(job)
            return (try writer.write(text, to: path), Int64(text.utf8.count))
        }
    }

    /// What became of one job's file, and its entry for the next build's `PageDigests`.
    struct Written {
        var change: FileTreeWriter.Change
        var entry: PageDigests.Entry
        /// Whether the job was neither rendered nor compared: its digest and live file were as the last build left them.
        var skipped = false
    }

    /// Whether a regular file is at the path (with this size, when given).
    private static func isFile(_ path: String, size: Int64?) -> Bool {
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return false }
        return size.map { Int64(status.st_size) == $0 } ?? true
    }

    /// How a build with the cache digests its jobs (`SiteRenderer.pageDigest`): what every page depends on, the
    /// copied files' signatures, the last build's digests (for an update in place), and the digests made.
    final class Digesting: @unchecked Sendable {
        let structure: UInt64
        let signatures: [String: FileSignature]
        let articleShowsTotal: Bool
        let previous: PageDigests?
        let made = Made()

        init(
            structure: UInt64, signatures: [String: FileSignature], articleShowsTotal: Bool, previous: PageDigests?
        ) {
            self.structure = structure
            self.signatures = signatures
            self.articleShowsTotal = articleShowsTotal
            self.previous = previous
        }

        func digest(_ job: OutputJob, renderer: SiteRenderer) -> UInt64? {
            renderer.pageDigest(
                job, structure: structure, signatures: signatures, articleShowsTotal: articleShowsTotal)
        }

        /// The entries of this build, filled in as the jobs are tallied (one thread).
        final class Made: @unchecked Sendable {
            private(set) var digests = PageDigests()
            /// How many jobs were left as they were.
            private(set) var skipped = 0
            func set(_ path: String, _ entry: PageDigests.Entry, skipped: Bool) {
                digests.entries[path] = entry
                if skipped { self.skipped += 1 }
            }
        }
    }

    private func fileSystemFailure(_ error: Error) -> Failure {
        let problem = FileSystemProblem(error, .writing)
        return Failure(
            diagnostic: Diagnostic(
                .fileSystem, at: .init(file: output.display), "写入输出目录失败：\(problem.message)",
                hint: problem.hint + "；原来的输出目录没有改动"))
    }

    /// The order to write the jobs in (indices into `jobs`): article pages whose bodies are parked in the spill come
    /// last, in the order the bodies were parked, so the spill gives its storage back as they are written; every
    /// other job keeps its place, first. Which page is written when changes no byte of the output.
    static func writingOrder(_ jobs: [(path: String, job: OutputJob)], articles: [Article]) -> [Int] {
        var order: [Int] = []
        var parked: [(offset: Int, position: Int)] = []
        order.reserveCapacity(jobs.count)
        for (position, job) in jobs.enumerated() {
            if case .article(let index) = job.job, let offset = BodyStore.parkedAt(articles[index]) {
                parked.append((offset, position))
            } else {
                order.append(position)
            }
        }
        parked.sort { $0.offset < $1.offset }
        order.append(contentsOf: parked.lazy.map(\.position))
        return order
    }
}

/// The output files a build added, changed and removed, relative to the output folder (`lanmu build --changes`).
public struct OutputChanges: Sendable, Equatable {
    public var added: [String] = []
    public var modified: [String] = []
    public var removed: [String] = []

    public init() {}

    /// Whether the output is as it was.
    public var isEmpty: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }

    mutating func sort() {
        added.sort()
        modified.sort()
        removed.sort()
    }

    /// One line a file, sorted by path: `A path` (added), `M path` (changed), `D path` (removed).
    public var lines: String {
        let marked = added.map { ($0, "A") } + modified.map { ($0, "M") } + removed.map { ($0, "D") }
        return marked.sorted { $0.0 < $1.0 }.map { "\($0.1) \($0.0)\n" }.joined()
    }
}
