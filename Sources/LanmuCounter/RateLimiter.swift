import Foundation

/// At most `limit` requests per client address per minute (a fixed window: the table is emptied every minute, so
/// it holds at most one minute's addresses).
final class RateLimiter: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var window = 0
    private var used: [String: Int] = [:]
    private let now: @Sendable () -> Date

    /// - Parameter limit: requests per address per minute; 0 turns the limit off.
    init(limit: Int, now: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.now = now
    }

    /// Whether `address` may make one more request now (and counts it).
    func allows(_ address: String) -> Bool {
        guard limit > 0 else { return true }
        let minute = Int(now().timeIntervalSince1970 / 60)
        return lock.withLock {
            if minute != window {
                window = minute
                used = [:]
            }
            let count = used[address, default: 0] + 1
            used[address] = count
            return count <= limit
        }
    }
}
