import Foundation

/// With `LANMU_TIMES` set in the environment, `lanmu build` writes how long each stage took to standard error
/// (`lanmu: 1.234 s 读取和解析`), for the figures in docs/performance.md. Without it, marks cost a check of a flag.
enum StageTimes {
    private static let enabled = ProcessInfo.processInfo.environment["LANMU_TIMES"] != nil
    private static let lock = NSLock()
    nonisolated(unsafe) private static var last = DispatchTime.now()

    /// Starts timing from now.
    static func start() {
        guard enabled else { return }
        lock.withLock { last = .now() }
    }

    /// Writes the time since the last mark (or start) with the stage's name.
    static func mark(_ stage: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        let seconds = lock.withLock {
            defer { last = now }
            return Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9
        }
        FileHandle.standardError.write(Data("lanmu: \(String(format: "%.3f", seconds)) s \(stage)\n".utf8))
    }
}
