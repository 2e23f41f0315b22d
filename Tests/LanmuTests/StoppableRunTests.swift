import Dispatch
import Foundation
import Testing

@testable import LanmuCommandLine
@testable import LanmuCore

/// A build or check waited for on the command's thread: its report, or the first render timeout.
@Suite struct StoppableRunTests {
    let options = BuildOptions(siteRoot: URL(fileURLWithPath: "/nonexistent"))

    @Test func aRunThatFinishesGivesItsReport() {
        let outcome = StoppableRun.run(with: options) { _ in 42 }
        guard case .finished(let report) = outcome else {
            Issue.record("expected the report, got \(outcome)")
            return
        }
        #expect(report == 42)
    }

    /// A render stuck in libcmark never returns; the first timeout ends the wait while the run's thread is still busy.
    @Test func theFirstTimeoutEndsTheWaitWhileTheRunIsStuck() {
        let stuck = DispatchSemaphore(value: 0)
        defer { stuck.signal() }  // lets the run's thread finish; its report comes too late to count
        let outcome = StoppableRun.run(with: options) { options in
            for file in ["content/a.md", "content/b.md"] {
                options.onRenderTimeout?(Diagnostic(.renderTimeout, at: .init(file: file), "超时", hint: "拆开"))
            }
            stuck.wait()
            return 0
        }
        guard case .renderTimedOut(let diagnostic) = outcome else {
            Issue.record("expected the timeout, got \(outcome)")
            return
        }
        #expect(diagnostic.description == "content/a.md:1:1: 错误 E020: 超时\n    提示: 拆开")
    }
}
