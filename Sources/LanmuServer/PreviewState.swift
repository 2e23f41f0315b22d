import Foundation

/// Whether the last rebuild of the preview failed, and with what diagnostics; shared by the routes, the
/// rebuild loop and the live-reload streams.
final class PreviewState: @unchecked Sendable {
    private let lock = NSLock()
    private var failure: [String]?
    private var reported: Set<String> = []

    /// The diagnostics of the last rebuild when it failed, or nil when it succeeded.
    var currentFailure: [String]? { lock.withLock { failure } }

    func record(failure diagnostics: [String]?) {
        lock.withLock { failure = diagnostics }
    }

    /// The diagnostics not in the last report, in their order; remembers these as the last report. Editors see
    /// each problem once, when it appears, not again after every save.
    func unreported(_ diagnostics: [String]) -> [String] {
        lock.withLock {
            defer { reported = Set(diagnostics) }
            return diagnostics.filter { !reported.contains($0) }
        }
    }
}
