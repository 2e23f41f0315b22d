import Foundation

/// Where counts are kept: SQLite in one file (`SQLiteCounterStore`) or PostgreSQL shared by several servers
/// (`PostgresCounterStore`). Both keep the same three tables: the counts (`hits`: counted here and imported), who
/// was counted today (`seen`: day, visitor hash, article) and the day's secret salt (`salt`); a new day deletes the
/// previous days' rows of both.
public protocol CounterStore: Sendable {
    /// Counts one view of `id` by `visitor` on `day` unless that visitor was counted for it that day; returns the
    /// article's total. Returns only after the count is durable (committed).
    /// - Throws: `CounterStoreError.unavailable` when the database cannot be written now.
    func hit(_ id: String, visitor: [UInt8], day: Int) async throws -> Int
    /// The totals of `ids` (0 for an article never counted).
    func counts(of ids: [String]) async throws -> [String: Int]
    /// The secret salt of `day`, made on first use; the salts of earlier days are deleted.
    func salt(for day: Int) async throws -> [UInt8]
    /// Whether the database answers now.
    func isHealthy() async -> Bool
    /// Every article's total, ordered by id.
    func allCounts() async throws -> [(id: String, hits: Int)]
    /// Sets the imported part of these articles' totals (replacing an earlier import of the same article).
    func setImported(_ rows: [(id: String, hits: Int)]) async throws
    /// Closes the database.
    func close() async
}

/// Why the store could not count or answer.
public enum CounterStoreError: Error, CustomStringConvertible {
    /// The database cannot be reached or written now (PostgreSQL gone, disk full): the request is answered 503.
    case unavailable(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): "计数数据库暂时不可用：\(reason)"
        }
    }
}

/// Why the counter refuses to start: each says what is wrong and what to do, in Chinese.
public struct CounterStartError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
