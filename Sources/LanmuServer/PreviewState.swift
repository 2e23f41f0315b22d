import Foundation

/// Whether the last rebuild of the preview failed, and with what diagnostics; shared by the routes, the
/// rebuild loop and the live-reload streams.
final class PreviewState: @unchecked Sendable {
    private let lock = NSLock()
    private var failure: [String]?

    /// The diagnostics of the last rebuild when it failed, or nil when it succeeded.
    var currentFailure: [String]? { lock.withLock { failure } }

    func record(failure diagnostics: [String]?) {
        lock.withLock { failure = diagnostics }
    }
}
