import ArgumentParser
import Foundation
import LanmuCore

/// Runs a build or a check on a thread of its own while the command waits for the first of two ends: the report, or
/// an article whose Markdown renders past the time limit. libcmark cannot be interrupted, so after a timeout the
/// run's thread may never return; the command then reports the timeout from its top level and the process ends,
/// taking that thread with it, before anything is written.
enum StoppableRun {
    enum Outcome<Report: Sendable>: Sendable {
        case finished(Report)
        case renderTimedOut(Diagnostic)

        /// The report of a run that finished; after a timeout, prints it and throws exit status 1.
        func reportOrStop() throws -> Report {
            switch self {
            case .finished(let report): return report
            case .renderTimedOut(let diagnostic):
                Console.print([diagnostic])
                Console.printError("生成失败：1 个错误；输出目录没有改动。")
                throw ExitCode(1)
            }
        }
    }

    /// Runs `work` with `options`, told about render timeouts, and returns whichever end comes first.
    static func run<Report: Sendable>(
        with options: BuildOptions, _ work: @escaping @Sendable (BuildOptions) -> Report
    ) -> Outcome<Report> {
        let first = FirstOutcome<Report>()
        var options = options
        options.onRenderTimeout = { first.settle(.renderTimedOut($0)) }
        let thread = Thread { [options] in first.settle(.finished(work(options))) }
        thread.stackSize = 8 << 20  // as much as the main thread the build ran on before
        thread.start()
        return first.wait()
    }

    /// The first outcome settled; later ones are dropped.
    private final class FirstOutcome<Report: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private let settled = DispatchSemaphore(value: 0)
        private var outcome: Outcome<Report>?

        func settle(_ outcome: Outcome<Report>) {
            let isFirst = lock.withLock {
                guard self.outcome == nil else { return false }
                self.outcome = outcome
                return true
            }
            if isFirst { settled.signal() }
        }

        func wait() -> Outcome<Report> {
            settled.wait()
            return lock.withLock { outcome! }
        }
    }
}
