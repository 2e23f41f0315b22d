import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// Counts in one SQLite file (WAL). One writer thread commits the hits that arrive while it was busy in one
/// transaction (a group commit, `synchronous = FULL`), and answers each of them only after that commit; totals are
/// read from memory, which only this process writes (the file is locked against a second `lanmu counter`).
public final class SQLiteCounterStore: CounterStore, @unchecked Sendable {
    private let database: DatabaseQueue
    private var lockDescriptor: Int32
    private let condition = NSCondition()
    private var pending: [Pending] = []
    private var stopping = false
    private var totals: [String: Int]
    private var currentDay: Int
    private var writer: Thread?
    private let stopped = DispatchSemaphore(value: 0)

    private struct Pending {
        let id: String
        let visitor: Data
        let day: Int
        let continuation: CheckedContinuation<Int, any Error>
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS hits (
            id TEXT PRIMARY KEY NOT NULL, counted INTEGER NOT NULL DEFAULT 0, imported INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS seen (
            day INTEGER NOT NULL, visitor BLOB NOT NULL, id TEXT NOT NULL, PRIMARY KEY (day, visitor, id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS salt (day INTEGER PRIMARY KEY NOT NULL, value BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
        """

    /// Opens (or creates) the database file, checks it and takes its lock.
    /// - Parameters:
    ///   - path: the database file.
    ///   - exclusive: whether to take the file's lock (the service and `import`); `export` reads beside a running
    ///     service.
    ///   - maxPageCount: a test's stand-in for a full disk (SQLite's `max_page_count`).
    /// - Throws: `CounterStartError` with a Chinese message when the file is read-only, full, corrupted, not a
    ///   database, or used by another `lanmu counter`.
    public init(path: String, exclusive: Bool = true, maxPageCount: Int? = nil) throws {
        let file = URL(fileURLWithPath: path)
        let folder = file.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CounterStartError("计数数据库所在的目录 \(folder) 不存在：先创建它，或用 --db 指定另一个文件")
        }
        if Self.isReadOnly(path) {
            throw CounterStartError(
                "计数数据库 \(path) 是只读的，计数无法保存，服务不启动：让运行 lanmu counter 的用户可以写这个文件（例如 chmod u+w）")
        }
        if Self.isReadOnly(folder) || access(folder, W_OK) != 0 {
            throw CounterStartError(
                "计数数据库所在的目录 \(folder) 不可写（SQLite 要在旁边写 -wal 日志文件），服务不启动：让运行 lanmu counter 的用户可以写这个目录")
        }
        var configuration = Configuration()
        configuration.label = "lanmu.counter"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if let maxPageCount { try db.execute(sql: "PRAGMA max_page_count = \(maxPageCount)") }
        }
        let database: DatabaseQueue
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw Self.startError(error, path: path)
        }
        var descriptor: Int32 = -1
        if exclusive {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            if descriptor < 0 || flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                if descriptor >= 0 { Glibc.close(descriptor) }
                throw CounterStartError(
                    "计数数据库 \(path) 正被另一个 lanmu counter 使用：同一个文件只能由一个服务写；几台服务器共用计数请用 --postgres")
            }
        }
        do {
            let check = try database.writeWithoutTransaction { db -> String in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                let result = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard result == ["ok"] else { return result.prefix(3).joined(separator: "；") }
                try db.inTransaction(.immediate) {
                    try db.execute(sql: Self.schema)
                    // A write at start-up, so that a full disk is found now and not at the first visitor.
                    if exclusive {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('started', ?)",
                            arguments: [ISO8601DateFormatter().string(from: Date())])
                    }
                    return .commit
                }
                return "ok"
            }
            guard check == "ok" else {
                throw CounterStartError(Self.corruptedMessage(path: path, detail: check))
            }
            self.totals = try database.read { db in
                var totals: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT id, counted + imported FROM hits") {
                    totals[row[0] as String] = row[1] as Int
                }
                return totals
            }
            self.currentDay = try database.read { db in
                try Int.fetchOne(db, sql: "SELECT max(day) FROM salt") ?? 0
            }
        } catch let error as CounterStartError {
            if descriptor >= 0 { Glibc.close(descriptor) }
            throw error
        } catch {
            if descriptor >= 0 { Glibc.close(descriptor) }
            throw Self.startError(error, path: path)
        }
        self.database = database
        self.lockDescriptor = descriptor
        let thread = Thread { [unowned self] in self.writeLoop() }
        thread.name = "lanmu counter writer"
        self.writer = thread
        thread.start()
    }

    deinit {
        releaseLock()
    }

    /// Gives the file's lock back, after the database is closed (closing another descriptor of the file earlier
    /// would drop SQLite's own POSIX locks on it).
    private func releaseLock() {
        let descriptor = condition.withLock {
            defer { lockDescriptor = -1 }
            return lockDescriptor
        }
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Whether the file exists and no one may write it (write bits off: checked by hand, because root may write
    /// any file and would not notice).
    static func isReadOnly(_ path: String) -> Bool {
        var information = stat()
        guard stat(path, &information) == 0 else { return false }
        return information.st_mode & 0o222 == 0
    }

    static func corruptedMessage(path: String, detail: String) -> String {
        "计数数据库 \(path) 已损坏（SQLite：\(detail)），服务不启动，以免给出错误的数字：停止服务后用备份替换它（见 README“浏览次数计数服务”的备份一节），或用 sqlite3 \(path) \".recover\" 抢救"
    }

    static func startError(_ error: any Error, path: String) -> CounterStartError {
        guard let error = error as? DatabaseError else {
            return CounterStartError("计数数据库 \(path) 打不开：\(error)")
        }
        // A full disk shows as SQLITE_FULL only when the database or its journal grows; creating the -wal or -shm
        // file on a full disk is an I/O error, so an I/O error with no room left next to the file is a full disk too.
        let isFull =
            error.resultCode == .SQLITE_FULL
            || (error.resultCode == .SQLITE_IOERR && freeBytes(nextTo: path).map { $0 < 64 * 1024 } == true)
        if isFull {
            return CounterStartError("计数数据库 \(path) 所在的磁盘已满，计数无法保存，服务不启动：先腾出空间")
        }
        switch error.resultCode {
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            return CounterStartError("计数数据库 \(path) 无法写入（\(error.message ?? "只读")），服务不启动：检查文件和目录的权限")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return CounterStartError(corruptedMessage(path: path, detail: error.message ?? "\(error.resultCode)"))
        default:
            return CounterStartError("计数数据库 \(path) 打不开：\(error.message ?? "\(error.resultCode)")")
        }
    }

    /// The bytes an unprivileged user may still write on the file system of the folder holding `path`.
    static func freeBytes(nextTo path: String) -> UInt64? {
        var information = statvfs()
        guard statvfs(URL(fileURLWithPath: path).deletingLastPathComponent().path, &information) == 0 else {
            return nil
        }
        return UInt64(information.f_bavail) * UInt64(information.f_frsize)
    }

    public func hit(_ id: String, visitor: [UInt8], day: Int) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            if stopping {
                condition.unlock()
                continuation.resume(throwing: CounterStoreError.unavailable("服务正在停止"))
                return
            }
            pending.append(Pending(id: id, visitor: Data(visitor), day: day, continuation: continuation))
            condition.signal()
            condition.unlock()
        }
    }

    /// Takes every waiting hit, commits them in one transaction, then answers them.
    private func writeLoop() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            let batch = pending
            pending = []
            let done = stopping && batch.isEmpty
            condition.unlock()
            if done { break }
            commit(batch)
        }
        stopped.signal()
    }

    private func commit(_ batch: [Pending]) {
        var results: [Int] = []
        var changed: [String: Int] = [:]
        do {
            let knownTotals = condition.withLock { totals }
            let oldDay = currentDay
            var newDay = oldDay
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    results = []
                    changed = [:]
                    newDay = max(oldDay, batch.map(\.day).max() ?? oldDay)
                    if newDay > oldDay {
                        try db.execute(sql: "DELETE FROM seen WHERE day < ?", arguments: [newDay])
                    }
                    let insertSeen = try db.cachedStatement(
                        sql: "INSERT OR IGNORE INTO seen (day, visitor, id) VALUES (?, ?, ?)")
                    let count = try db.cachedStatement(
                        sql:
                            "INSERT INTO hits (id, counted) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET counted = counted + 1"
                    )
                    for hit in batch {
                        var total = changed[hit.id] ?? knownTotals[hit.id] ?? 0
                        if hit.day >= newDay {
                            try insertSeen.execute(arguments: [hit.day, hit.visitor, hit.id])
                            if db.changesCount > 0 {
                                try count.execute(arguments: [hit.id])
                                total += 1
                            }
                        }
                        changed[hit.id] = total
                        results.append(total)
                    }
                    return .commit
                }
            }
            condition.withLock {
                currentDay = newDay
                totals.merge(changed) { $1 }
            }
            for (hit, total) in zip(batch, results) { hit.continuation.resume(returning: total) }
        } catch {
            let reason =
                (error as? DatabaseError).map { $0.resultCode == .SQLITE_FULL ? "磁盘已满" : "\($0)" } ?? "\(error)"
            for hit in batch { hit.continuation.resume(throwing: CounterStoreError.unavailable(reason)) }
        }
    }

    public func counts(of ids: [String]) async throws -> [String: Int] {
        condition.withLock {
            var answer: [String: Int] = [:]
            for id in ids { answer[id] = totals[id] ?? 0 }
            return answer
        }
    }

    public func salt(for day: Int) async throws -> [UInt8] {
        do {
            return try await database.write { db in
                if let value = try Data.fetchOne(db, sql: "SELECT value FROM salt WHERE day = ?", arguments: [day]) {
                    return [UInt8](value)
                }
                var fresh = SystemRandomNumberGenerator()
                let value = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &fresh) }
                try db.execute(sql: "DELETE FROM salt WHERE day < ?", arguments: [day])
                try db.execute(sql: "INSERT INTO salt (day, value) VALUES (?, ?)", arguments: [day, Data(value)])
                return value
            }
        } catch {
            throw CounterStoreError.unavailable("\(error)")
        }
    }

    public func isHealthy() async -> Bool {
        do {
            return try await database.read { db in try Int.fetchOne(db, sql: "SELECT 1") == 1 }
        } catch {
            return false
        }
    }

    public func allCounts() async throws -> [(id: String, hits: Int)] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, counted + imported FROM hits ORDER BY id").map {
                (id: $0[0] as String, hits: $0[1] as Int)
            }
        }
    }

    public func setImported(_ rows: [(id: String, hits: Int)]) async throws {
        try await database.write { db in
            let statement = try db.cachedStatement(
                sql:
                    "INSERT INTO hits (id, imported) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET imported = excluded.imported"
            )
            for row in rows { try statement.execute(arguments: [row.id, row.hits]) }
        }
        let fresh = try await allCounts()
        condition.withLock {
            for row in fresh { totals[row.id] = row.hits }
        }
    }

    public func close() async {
        let wasRunning = condition.withLock {
            let was = !stopping
            stopping = true
            condition.signal()
            return was
        }
        guard wasRunning else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.stopped.wait()
                continuation.resume()
            }
        }
        try? database.close()  // closing can only fail while statements are alive; none are after the writer stops
        releaseLock()
    }
}
