import Dispatch
import Foundation

/// Runs work on every core; results keep the input order, so output stays deterministic.
enum Parallel {
    /// Threads for work that reads files: four per core (at most 64), so that the cores keep working while some
    /// threads wait for the disk — a large archive does not all stay in the page cache (docs/performance.md has the
    /// cold-cache measurement).
    static let readingThreads = min(64, 4 * ProcessInfo.processInfo.activeProcessorCount)

    /// Maps `items` in parallel, in chunks, preserving order.
    /// - Parameter threads: how many threads share the work; nil is one per core. More threads than cores keep the
    ///   cores busy while some threads wait for the disk (reading files that are not in the page cache).
    static func map<T, R>(_ items: [T], threads: Int? = nil, _ transform: (T) -> R) -> [R] {
        if items.count < 2 { return items.map(transform) }
        return [R](unsafeUninitializedCapacity: items.count) { buffer, initialized in
            let base = buffer.baseAddress!
            // Small chunks: the last one to finish keeps a core idle at most a few milliseconds.
            let chunk = Swift.max(1, items.count / 512)
            let chunks = (items.count + chunk - 1) / chunk
            withoutActuallyEscaping(transform) { transform in
                nonisolated(unsafe) let transform = transform
                nonisolated(unsafe) let base = base
                items.withUnsafeBufferPointer { source in
                    nonisolated(unsafe) let source = source
                    let run = { @Sendable (chunkIndex: Int) in
                        let start = chunkIndex * chunk
                        for index in start..<Swift.min(start + chunk, source.count) {
                            (base + index).initialize(to: transform(source[index]))
                        }
                    }
                    if let threads {
                        perform(iterations: chunks, threads: Swift.max(1, Swift.min(threads, chunks)), run)
                    } else {
                        DispatchQueue.concurrentPerform(iterations: chunks, execute: run)
                    }
                }
            }
            initialized = items.count
        }
    }

    /// `concurrentPerform` on a set number of threads of its own (Dispatch's pool has one per core and does not
    /// start another when one blocks in a system call); the calling thread is one of them. The threads are joined
    /// before it returns, so nothing they hold outlives the call.
    private static func perform(iterations: Int, threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let next = ChunkCounter()
        let work = Work {
            while let index = next.take(below: iterations) { body(index) }
        }
        var started: [pthread_t] = []
        for _ in 1..<threads {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(work).toOpaque()
            let made = pthread_create(
                &thread, nil,
                { context in
                    let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
                    work.run()
                    return nil
                }, context)
            if made == 0 {
                started.append(thread)
            } else {
                Unmanaged<Work>.fromOpaque(context).release()  // fewer threads; the others take its share
            }
        }
        work.run()
        for thread in started { pthread_join(thread, nil) }
    }

    private final class Work: @unchecked Sendable {
        let run: @Sendable () -> Void

        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private final class ChunkCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0

        func take(below limit: Int) -> Int? {
            lock.withLock {
                guard next < limit else { return nil }
                defer { next += 1 }
                return next
            }
        }
    }
}
