import Foundation

/// The preview's in-memory view counter: a hit adds one to an article's count and returns it; a read only returns it.
final class ViewCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func hit(_ id: String) -> Int {
        lock.withLock {
            counts[id, default: 0] += 1
            return counts[id]!
        }
    }

    func count(_ id: String) -> Int {
        lock.withLock { counts[id, default: 0] }
    }
}
