import Dispatch
import Foundation
import Testing

@testable import LanmuCore

/// The watchdog that reports Markdown renders running past the time limit.
@Suite struct RenderWatchdogTests {
    /// Found in a release build of 10,000 articles (a trap about once in ten builds): the timer read the clock, a
    /// render started, then the timer took the lock and subtracted a later start from an earlier now.
    @Test func aRenderStartedAfterTheClockWasReadIsNotLate() {
        let watchdog = RenderWatchdog(limit: .milliseconds(1)) { _ in }
        let before = DispatchTime.now()
        let late = watchdog.watch("content/a.md") { watchdog.lateFiles(at: before) }
        #expect(late.isEmpty)
    }

    @Test func aLongRenderIsReportedOnceByFile() {
        let watchdog = RenderWatchdog(limit: .milliseconds(1)) { _ in }
        let (first, second) = watchdog.watch("content/b.md") {
            watchdog.watch("content/a.md") {
                let later = DispatchTime.now() + .milliseconds(5)
                return (watchdog.lateFiles(at: later), watchdog.lateFiles(at: later + .milliseconds(5)))
            }
        }
        #expect(first == ["content/a.md", "content/b.md"])
        #expect(second.isEmpty, "each file is reported once")
    }
}

/// The progress lines of a large build.
@Suite struct ProgressMeterTests {
    @Test func theLineSaysHowFarAndHowFast() {
        #expect(
            ProgressMeter.line(verb: "已读取", done: 120_000, total: 1_000_000, seconds: 15)
                == "已读取 120000 / 1000000 个文件（每秒 8000 个）")
    }

    @Test func aShortStageOrNoListenerHasNoMeter() {
        let ignore: @Sendable (String) -> Void = { _ in }
        #expect(ProgressMeter("已读取", total: 1999, report: ignore) == nil)
        #expect(ProgressMeter("已读取", total: 5000, report: nil) == nil)
    }

    @Test func aLongStageReportsWhileItRuns() async throws {
        let lines = LockedLines()
        let report: @Sendable (String) -> Void = { lines.append($0) }
        let made = ProgressMeter("已写入", total: 2000, interval: .milliseconds(20), report: report)
        let meter = try #require(made)
        for _ in 0..<500 { meter.step() }
        try await Task.sleep(for: .milliseconds(200))
        meter.finish()
        #expect(lines.all.contains { $0.hasPrefix("已写入 500 / 2000 个文件（每秒 ") })
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
