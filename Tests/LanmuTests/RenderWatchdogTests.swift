import Dispatch
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
