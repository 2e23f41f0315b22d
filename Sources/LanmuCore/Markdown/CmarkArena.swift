import Foundation

/// The memory cmark works in while a document is parsed, changed and rendered: allocations are cut from a block the
/// thread keeps, frees do nothing, and everything goes back at once when the document is done. cmark allocates
/// and frees some sixty small pieces per article (nodes, their text, line and output buffers); through `malloc`
/// and `free` they took about a twentieth of the instructions spent reading an article (callgrind, 2,000 articles).
///
/// Each thread has its own block (a thread-specific slot; reading threads and the preview's request threads each
/// get one, freed when the thread ends). `MarkdownRenderer` (the one file that talks to cmark) hands these functions
/// to cmark as its allocator; every node of a document must come from the same allocator (cmark's rule), so nodes
/// Lanmu adds are made with it too.
enum CmarkArena {
    /// Runs `body`; what was allocated in the arena meanwhile is given back when the outermost call on this thread
    /// returns, so nothing cmark made may be used after (copy its text into Swift strings inside).
    static func withDocument<Result>(_ body: () throws -> Result) rethrows -> Result {
        let state = State.current
        state.pointee.depth += 1
        defer {
            state.pointee.depth -= 1
            if state.pointee.depth == 0 { state.pointee.reset() }
        }
        return try body()
    }

    /// Bytes of the block a thread keeps; a document needing more takes further blocks, given back with it.
    static let blockSize = 256 * 1024
    /// Further blocks, and the size above which an allocation gets a block of its own.
    private static let extraBlockSize = 64 * 1024
    /// Each allocation is preceded by its size, in 16 bytes (so allocations stay 16-byte aligned, as `malloc`'s).
    private static let header = 16

    /// A thread's memory: the kept block, the block being cut, and the further blocks (a list linked through their
    /// first bytes).
    struct State {
        let home: UnsafeMutableRawPointer
        var block: UnsafeMutableRawPointer
        var used: Int
        var capacity: Int
        /// The last allocation, which `reallocate` can grow where it is.
        var last: UnsafeMutableRawPointer?
        var extra: UnsafeMutableRawPointer?
        var depth = 0

        /// Further blocks taken and not given back (for tests).
        var furtherBlocks = 0

        mutating func reset() {
            while let block = extra {
                extra = block.load(as: UnsafeMutableRawPointer?.self)
                free(block)
                furtherBlocks -= 1
            }
            block = home
            used = CmarkArena.header
            capacity = CmarkArena.blockSize
            last = nil
        }

        private static let key: pthread_key_t = {
            var key = pthread_key_t()
            let created = pthread_key_create(&key) { pointer in
                guard let state = pointer?.assumingMemoryBound(to: State.self) else { return }
                state.pointee.reset()
                free(state.pointee.home)
                state.deinitialize(count: 1)
                state.deallocate()
            }
            precondition(created == 0, "pthread_key_create failed")
            return key
        }()

        /// The calling thread's state, made on its first document.
        static var current: UnsafeMutablePointer<State> {
            if let pointer = pthread_getspecific(key) { return pointer.assumingMemoryBound(to: State.self) }
            guard let home = malloc(CmarkArena.blockSize) else { preconditionFailure("out of memory") }
            let state = UnsafeMutablePointer<State>.allocate(capacity: 1)
            state.initialize(
                to: State(home: home, block: home, used: CmarkArena.header, capacity: CmarkArena.blockSize))
            pthread_setspecific(key, state)
            return state
        }
    }

    private static func rounded(_ size: Int) -> Int { (size + header + 15) & ~15 }

    /// `size` bytes from the calling thread's block (uninitialised; cmark's `calloc` zeroes them).
    static func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        let state = State.current
        let total = rounded(size)
        if state.pointee.used + total > state.pointee.capacity {
            let own = total > extraBlockSize / 4
            // A further block: its first bytes link it into the list of blocks given back with the document.
            guard let block = malloc(own ? total + header : extraBlockSize) else { return nil }
            block.storeBytes(of: state.pointee.extra, as: UnsafeMutableRawPointer?.self)
            state.pointee.extra = block
            state.pointee.furtherBlocks += 1
            if own {
                (block + header).storeBytes(of: size, as: Int.self)
                return block + 2 * header
            }
            state.pointee.block = block
            state.pointee.used = header
            state.pointee.capacity = extraBlockSize
        }
        let start = state.pointee.block + state.pointee.used
        start.storeBytes(of: size, as: Int.self)
        state.pointee.used += total
        state.pointee.last = start + header
        return start + header
    }

    /// The allocation grown or shrunk to `size` bytes, its bytes kept; moved when it cannot change where it is.
    static func reallocate(_ pointer: UnsafeMutableRawPointer?, to size: Int) -> UnsafeMutableRawPointer? {
        guard let pointer else { return allocate(size) }
        let state = State.current
        let start = pointer - header
        let old = start.load(as: Int.self)
        // The last allocation grows (or shrinks) where it is when its block has room: cmark's buffers grow so.
        if pointer == state.pointee.last {
            let offset = start - state.pointee.block
            if offset + rounded(size) <= state.pointee.capacity {
                start.storeBytes(of: size, as: Int.self)
                state.pointee.used = offset + rounded(size)
                return pointer
            }
        }
        guard let moved = allocate(size) else { return nil }
        moved.copyMemory(from: pointer, byteCount: min(old, size))
        return moved
    }
}
