import Foundation

/// The open live-reload streams; each rebuild sends one event to all of them.
final class LiveReloadHub: @unchecked Sendable {
    private let lock = NSLock()
    private var streams: [Int: AsyncStream<String>.Continuation] = [:]
    private var nextIdentifier = 0
    private var closed = false

    /// A new stream; it starts with the current failure, if any, so a freshly opened page shows it at once.
    func subscribe(failure: [String]?) -> (Int, AsyncStream<String>) {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(16))
        continuation.yield("retry: 1000\n\n")
        if let failure { continuation.yield(Self.failedEvent(failure)) }
        let identifier: Int = lock.withLock {
            nextIdentifier += 1
            if closed { continuation.finish() } else { streams[nextIdentifier] = continuation }
            return nextIdentifier
        }
        return (identifier, stream)
    }

    func unsubscribe(_ identifier: Int) {
        let continuation = lock.withLock { streams.removeValue(forKey: identifier) }
        continuation?.finish()
    }

    var count: Int { lock.withLock { streams.count } }

    func broadcast(_ event: String) {
        for continuation in lock.withLock({ Array(streams.values) }) { continuation.yield(event) }
    }

    /// Ends every stream, now and for streams opened later (shutdown).
    func closeAll() {
        let all = lock.withLock {
            closed = true
            defer { streams.removeAll() }
            return Array(streams.values)
        }
        for continuation in all { continuation.finish() }
    }

    static func reloadEvent(changed: Int) -> String {
        "event: reload\ndata: {\"changed\": \(changed)}\n\n"
    }

    static func failedEvent(_ diagnostics: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: ["diagnostics": diagnostics])) ?? Data("{}".utf8)
        return "event: failed\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }
}
