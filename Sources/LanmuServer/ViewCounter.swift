import Foundation

/// The preview's in-memory view counter: each request for an article's count adds one and returns it.
final class ViewCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func hit(_ id: String) -> Int {
        lock.withLock {
            counts[id, default: 0] += 1
            return counts[id]!
        }
    }
}
