import Foundation

/// Watches the work on each article — its Markdown render, its links, its page: libcmark 0.30.2 takes seconds to
/// minutes on a few input shapes (`![[]()` repeated, for one), a template can loop over an article's lists without
/// end, and neither can be cancelled. When one file runs past the limit, `onTimeout` hears of it once,
/// so that `build` can stop with a diagnostic naming the file and `serve` can say so while it keeps answering.
final class RenderWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [Int: (file: String, started: DispatchTime, reported: Bool)] = [:]
    private var nextToken = 0
    private let limit: Duration
    private let onTimeout: @Sendable (Diagnostic) -> Void
    private var timer: DispatchSourceTimer?

    init(limit: Duration, onTimeout: @escaping @Sendable (Diagnostic) -> Void) {
        self.limit = limit
        self.onTimeout = onTimeout
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + .milliseconds(50), repeating: .milliseconds(50))
        timer.setEventHandler { [weak self] in self?.check() }
        timer.resume()
        self.timer = timer
    }

    deinit { timer?.cancel() }

    private var limitNanoseconds: UInt64 {
        UInt64(limit.components.seconds) * 1_000_000_000 + UInt64(limit.components.attoseconds / 1_000_000_000)
    }

    /// The files running past the limit at `now` and not reported yet, marked reported, sorted. A render may start
    /// after `now` was read (the timer reads the clock before it takes the lock): it is not late.
    func lateFiles(at now: DispatchTime) -> [String] {
        lock.withLock {
            var late: [String] = []
            for (token, entry) in running where !entry.reported && now > entry.started {
                if now.uptimeNanoseconds - entry.started.uptimeNanoseconds > limitNanoseconds {
                    running[token]?.reported = true
                    late.append(entry.file)
                }
            }
            return late.sorted()
        }
    }

    /// Runs a part of the work on `file`, watched.
    func watch<Result, Failure: Error>(_ file: String, _ work: () throws(Failure) -> Result) throws(Failure) -> Result {
        let token: Int = lock.withLock {
            nextToken += 1
            running[nextToken] = (file, .now(), false)
            return nextToken
        }
        defer { _ = lock.withLock { running.removeValue(forKey: token) } }
        return try work()
    }

    private func check() {
        let late = lateFiles(at: .now())
        let seconds = Double(limitNanoseconds) / 1_000_000_000
        for file in late {
            onTimeout(
                Diagnostic(
                    .renderTimeout, at: .init(file: file),
                    "处理这篇文章（Markdown、链接和页面）超过了 \(String(format: "%g", seconds)) 秒，生成已停止",
                    hint: "文件里可能有大量重复或嵌套的 [、![、* 或列表标记，或模板对它的列表循环太多；检查最近的修改，或把文章拆成几篇"))
        }
    }
}

extension Optional where Wrapped == RenderWatchdog {
    /// Runs the work watched when there is a watchdog, else simply runs it.
    func watch<Result, Failure: Error>(_ file: String, _ work: () throws(Failure) -> Result) throws(Failure) -> Result {
        switch self {
        case .some(let watchdog): try watchdog.watch(file, work)
        case .none: try work()
        }
    }
}
