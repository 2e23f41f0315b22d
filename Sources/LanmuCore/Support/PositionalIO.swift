import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whole reads and writes at an offset of an open file (`pread`/`pwrite` until every byte is done, again after a
/// signal): the records of the build cache and the body spill.
enum PositionalIO {
    /// Fills the buffer from the file at `offset`; false on an error or the file's end before the buffer is full.
    static func read(_ buffer: UnsafeMutableRawBufferPointer, from descriptor: Int32, at offset: Int) -> Bool {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            done += count
        }
        return true
    }

    /// Writes all the bytes at `offset`; false on an error (a full disk).
    static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let count = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            done += count
        }
        return true
    }
}
