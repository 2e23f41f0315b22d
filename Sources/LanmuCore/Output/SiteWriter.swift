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

    /// Writes the jobs and puts them in the output's place.
    /// - Parameter progress: told how far the writing is, for large builds.
    func write(
        _ jobs: [(path: String, job: OutputJob)], with renderer: SiteRenderer,
        progress: (@Sendable (String) -> Void)? = nil
    ) throws(Failure) {
        let staging: URL
        do {
            staging = try output.makeStaging()
        } catch {
            throw fileSystemFailure(error)
        }
        do throws(Failure) {
            try fill(staging, with: jobs, renderer: renderer, progress: progress)
            do {
                try output.replace(
                    with: staging, removeOldInBackground: jobs.count >= Self.removesOldOutputInBackgroundFrom)
            } catch {
                throw fileSystemFailure(error)
            }
        } catch {
            // The staging folder is ours; the previous output was not touched. A staging folder that cannot be
            // removed now is removed by the next build (`OutputDirectory.makeStaging`).
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Writes every job into the staging folder, in parallel.
    private func fill(
        _ staging: URL, with jobs: [(path: String, job: OutputJob)], renderer: SiteRenderer,
        progress: (@Sendable (String) -> Void)?
    ) throws(Failure) {
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
        let failures = Parallel.map(order) { position -> Failure? in
            defer { meter?.step() }
            let (path, job) = jobs[position]
            do {
                try write(job, to: path, with: writer, renderer: renderer)
                return nil
            } catch let failure as BodyStore.Failure {
                return Failure(diagnostic: failure.diagnostic)
            } catch {
                return fileSystemFailure(error)
            }
        }
        meter?.finish()
        // The first failure in the jobs' own order, whatever order they were written in.
        if let failure = zip(order, failures).filter({ $0.1 != nil }).min(by: { $0.0 < $1.0 })?.1 {
            throw failure
        }
    }

    private func write(_ job: OutputJob, to path: String, with writer: FileTreeWriter, renderer: SiteRenderer) throws {
        switch job {
        case .copy(let source, let target):
            try writer.copy(from: URL(fileURLWithPath: source), to: target)
        case .themeAsset(let asset):
            try writer.write(DefaultTheme.asset(asset), to: path)
        case .article(let index):
            try writer.makeFolder(of: path)
            try writer.write(renderer.renderPage(job), to: path)
            renderer.bodies.release(renderer.site.articles[index])
        default:
            if job.hasFolderOfItsOwn { try writer.makeFolder(of: path) }
            try writer.write(renderer.renderPage(job), to: path)
        }
    }

    private func fileSystemFailure(_ error: Error) -> Failure {
        Failure(
            diagnostic: Diagnostic(
                .fileSystem, at: .init(file: output.display), "写入输出目录失败：\(error)",
                hint: "检查磁盘空间和目录权限；原来的输出目录没有改动"))
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
