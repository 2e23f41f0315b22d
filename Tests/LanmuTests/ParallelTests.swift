import Foundation
import Testing

@testable import LanmuCore

@Suite struct ParallelTests {
    /// Results come back in the input's order, each item mapped once, on one thread per core or on threads of its own.
    @Test(arguments: [nil, 1, 2, 5]) func mapKeepsTheOrder(threads: Int?) {
        let items = Array(0..<5000)
        #expect(Parallel.map(items, threads: threads) { $0 * 3 } == items.map { $0 * 3 })
        #expect(Parallel.map([7], threads: threads) { $0 + 1 } == [8])
        #expect(Parallel.map([Int](), threads: threads) { $0 + 1 } == [])
    }

    /// One thread means the calling thread alone.
    @Test func oneThreadIsTheCallersOwn() {
        let threads = ThreadNames()
        _ = Parallel.map(Array(0..<600), threads: 1) { item -> Int in
            threads.note()
            usleep(100)  // long enough for another thread to join in, were there one
            return item
        }
        #expect(threads.count == 1)
    }

    /// Threads of its own keep working while one waits (as a thread reading a file not in the page cache does).
    @Test func moreThreadsThanCoresShareTheWaiting() {
        let threads = ThreadNames()
        let items = Array(0..<600)
        let results = Parallel.map(items, threads: 6) { item -> Int in
            threads.note()
            usleep(500)
            return item
        }
        #expect(results == items)
        #expect((2...6).contains(threads.count), "\(threads.count) threads")
    }

    private final class ThreadNames: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: Set<UInt> = []

        func note() {
            let id = UInt(pthread_self())
            lock.withLock { _ = seen.insert(id) }
        }

        var count: Int { lock.withLock { seen.count } }
    }
}
