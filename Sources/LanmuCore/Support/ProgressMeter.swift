import Foundation

/// Counts the files of a long stage and, every few seconds while it runs, reports how far it got and how fast
/// (`已读取 120000 / 1000000 个文件（每秒 8200 个）`), so that a build of a large archive is seen to move.
final class ProgressMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let verb: String
    private let started = DispatchTime.now()
    private let report: @Sendable (String) -> Void
    private var timer: DispatchSourceTimer?

    /// A meter for `total` files, reporting through `report` every `interval`; nil without a report or for a
    /// short stage.
    init?(
        _ verb: String, total: Int, interval: DispatchTimeInterval = .seconds(5),
        report: (@Sendable (String) -> Void)?
    ) {
        guard let report, total >= 2000 else { return nil }
        self.verb = verb
        self.total = total
        self.report = report
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        self.timer = timer
    }

    deinit { timer?.cancel() }

    /// One more file done.
    func step() {
        lock.withLock { done += 1 }
    }

    /// Stops the reports.
    func finish() {
        timer?.cancel()
    }

    /// The line for `done` files after `seconds`.
    static func line(verb: String, done: Int, total: Int, seconds: Double) -> String {
        let rate = seconds > 0 ? Int((Double(done) / seconds).rounded()) : 0
        return "\(verb) \(done) / \(total) 个文件（每秒 \(rate) 个）"
    }

    private func tick() {
        let count = lock.withLock { done }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000_000
        report(Self.line(verb: verb, done: count, total: total, seconds: seconds))
    }
}
