import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Counts in PostgreSQL, for several web servers sharing one count: the same tables as the SQLite store. Hits are
/// counted in batches, one statement and one commit each, answered after the commit: the hits that arrive while
/// `HitBatches.maximumInFlight` batches are running make the next batch (a group commit, as the SQLite store's
/// writer does). While the server is away every call fails within `timeout` (answered 503) and the client's pool
/// reconnects on its own when it is back.
public final class PostgresCounterStore: CounterStore, @unchecked Sendable {
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let batches = HitBatches()
    let timeout: Duration

    static let schema = [
        """
        CREATE TABLE IF NOT EXISTS hits (
            id TEXT PRIMARY KEY, counted BIGINT NOT NULL DEFAULT 0, imported BIGINT NOT NULL DEFAULT 0)
        """,
        """
        CREATE TABLE IF NOT EXISTS seen (
            day BIGINT NOT NULL, visitor BYTEA NOT NULL, id TEXT NOT NULL, PRIMARY KEY (day, visitor, id))
        """,
        "CREATE TABLE IF NOT EXISTS salt (day BIGINT PRIMARY KEY, value BYTEA NOT NULL)",
    ]

    /// Connects to the database `url` names (`postgres://user:password@host:port/database[?sslmode=require]`) and
    /// makes the tables.
    /// - Throws: `CounterStartError` when the URL is malformed or the server does not answer.
    public init(url: String, timeout: Duration = .seconds(3)) async throws {
        let configuration = try Self.configuration(from: url)
        var logger = Logger(label: "lanmu.counter.postgres")
        logger.logLevel = .critical
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.timeout = timeout
        // The pool only hands out connections while `run()` runs; it ends when `close()` cancels it.
        self.runTask = Task { await client.run() }
        do {
            if let schema = Self.schemaName(in: url) {
                try await deadline {
                    _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(schema)\""))
                }
            }
            for statement in Self.schema {
                try await deadline { _ = try await client.query(PostgresQuery(unsafeSQL: statement)) }
            }
        } catch {
            runTask.cancel()
            throw CounterStartError(
                "连不上 PostgreSQL（\(Self.redacted(url))）：\(Self.reason(error))。检查服务器是否在运行、地址、用户名、密码和数据库名")
        }
    }

    static func configuration(from url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme),
            let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty
        else {
            throw CounterStartError(
                "--postgres 的地址“\(redacted(url))”看不懂：要写成 postgres://用户名:密码@主机:端口/数据库名，例如 postgres://lanmu:密码@127.0.0.1:5432/lanmu"
            )
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS =
            switch sslMode {
            case "require", "verify-ca", "verify-full": .require(.makeClientConfiguration())
            case "prefer": .prefer(.makeClientConfiguration())
            default: .disable
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.isEmpty ? nil : database, tls: tls)
        if let schema = schemaName(in: url) {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        configuration.options.connectTimeout = .seconds(2)
        configuration.options.maximumConnections = 40
        return configuration
    }

    /// The `schema=` of the URL: the tables go into that schema (made when missing) instead of `public`. Letters,
    /// digits and `_` only.
    static func schemaName(in url: String) -> String? {
        guard let value = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "schema" })?.value,
            !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { return nil }
        return value
    }

    /// The URL without its password, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }

    /// Runs `work`, or throws `unavailable` once `timeout` passes (the work goes on by itself and is cancelled).
    private func deadline<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let once = FirstAnswer<T>()
        let timeout = timeout
        return try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            let task = Task {
                do {
                    once.resume(with: .success(try await work()))
                } catch {
                    once.resume(with: .failure(CounterStoreError.unavailable(Self.reason(error))))
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                once.resume(with: .failure(CounterStoreError.unavailable("PostgreSQL 没有在时限内回答")))
                task.cancel()
            }
        }
    }

    public func hit(_ id: String, visitor: [UInt8], day: Int) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let hit = PendingHit(id: id, visitor: visitor, day: day, continuation: continuation)
            if let batch = batches.add(hit) { flush(batch) }
        }
    }

    /// Counts `batch` in one statement, answers its hits, then takes the hits that arrived meanwhile.
    private func flush(_ batch: [PendingHit]) {
        let client = client
        Task {
            do {
                let totals = try await deadline { try await Self.count(batch, with: client) }
                for (hit, total) in zip(batch, totals) { hit.continuation.resume(returning: total) }
            } catch {
                for hit in batch { hit.continuation.resume(throwing: error) }
            }
            if let next = batches.finished() { flush(next) }
        }
    }

    /// One statement for the whole batch (one commit, one round trip): the new `seen` rows, the totals of the
    /// articles they count for, and the totals of the others. Rows are written in key order, so that two batches
    /// (of this server or another) never wait on each other in a circle.
    /// - Returns: each hit's total, in the batch's order, as if they had been counted one after the other.
    static func count(_ batch: [PendingHit], with client: PostgresClient) async throws -> [Int] {
        let days = batch.map { Int64($0.day) }
        let visitors = batch.map { ByteBuffer(bytes: $0.visitor) }
        let ids = batch.map(\.id)
        let order = Array(0..<Int64(batch.count))
        let rows = try await client.query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(days)::bigint[], \(visitors)::bytea[], \(ids)::text[], \(order)::bigint[])
                    AS t (day, visitor, id, position)
            ), new AS (
                INSERT INTO seen (day, visitor, id) SELECT DISTINCT day, visitor, id FROM input ORDER BY day, visitor, id
                ON CONFLICT DO NOTHING RETURNING day, visitor, id
            ), changed AS (
                INSERT INTO hits (id, counted) SELECT id, count(*) FROM new GROUP BY id ORDER BY id
                ON CONFLICT (id) DO UPDATE SET counted = hits.counted + excluded.counted
                RETURNING id, counted + imported AS total
            )
            SELECT NULL::text, min(input.position), NULL::bigint FROM input JOIN new USING (day, visitor, id)
                GROUP BY input.day, input.visitor, input.id
            UNION ALL
            SELECT id, NULL, total FROM changed
            UNION ALL
            SELECT id, NULL, counted + imported FROM hits
                WHERE id = ANY(\(ids)::text[]) AND id NOT IN (SELECT id FROM changed)
            """)
        var counted = Set<Int>()
        var totals: [String: Int] = [:]
        for try await (id, position, total) in rows.decode((String?, Int?, Int?).self) {
            if let position { counted.insert(position) }
            if let id, let total { totals[id] = total }
        }
        // Each article's total before the batch, then one more for each hit counted, in the batch's order.
        var running = totals
        for position in counted { running[batch[position].id, default: 0] -= 1 }
        return batch.enumerated().map { position, hit in
            if counted.contains(position) { running[hit.id, default: 0] += 1 }
            return running[hit.id] ?? 0
        }
    }

    public func counts(of ids: [String]) async throws -> [String: Int] {
        let client = client
        return try await deadline {
            var answer = Dictionary(uniqueKeysWithValues: Set(ids).map { ($0, 0) })
            guard !ids.isEmpty else { return answer }
            let rows = try await client.query("SELECT id, counted + imported FROM hits WHERE id = ANY(\(ids))")
            for try await (id, total) in rows.decode((String, Int).self) { answer[id] = total }
            return answer
        }
    }

    public func salt(for day: Int) async throws -> [UInt8] {
        let client = client
        return try await deadline {
            var generator = SystemRandomNumberGenerator()
            let fresh = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            let rows = try await client.query(
                "INSERT INTO salt (day, value) VALUES (\(day), \(fresh)) ON CONFLICT (day) DO NOTHING RETURNING day")
            var made = false
            for try await _ in rows.decode(Int.self) { made = true }
            if made {
                // The first server to see the new day forgets the previous days.
                try await client.query("DELETE FROM salt WHERE day < \(day)")
                try await client.query("DELETE FROM seen WHERE day < \(day)")
            }
            let stored = try await client.query("SELECT value FROM salt WHERE day = \(day)")
            for try await value in stored.decode(Data.self) { return [UInt8](value) }
            throw CounterStoreError.unavailable("当天的密钥没有写进数据库")
        }
    }

    public func isHealthy() async -> Bool {
        let client = client
        do {
            return try await deadline {
                var one = 0
                for try await value in try await client.query("SELECT 1").decode(Int.self) { one = value }
                return one == 1
            }
        } catch {
            return false
        }
    }

    public func allCounts() async throws -> [(id: String, hits: Int)] {
        let client = client
        return try await deadline {
            var rows: [(id: String, hits: Int)] = []
            let result = try await client.query("SELECT id, counted + imported FROM hits ORDER BY id COLLATE \"C\"")
            for try await (id, total) in result.decode((String, Int).self) { rows.append((id, total)) }
            return rows
        }
    }

    public func setImported(_ rows: [(id: String, hits: Int)]) async throws {
        let client = client
        let ids = rows.map(\.id)
        let values = rows.map(\.hits)
        try await deadline {
            _ = try await client.query(
                """
                INSERT INTO hits (id, imported) SELECT * FROM unnest(\(ids)::text[], \(values)::bigint[])
                ON CONFLICT (id) DO UPDATE SET imported = excluded.imported
                """)
        }
    }

    public func close() async {
        runTask.cancel()
        await runTask.value
    }
}

/// A hit waiting for its batch.
struct PendingHit: Sendable {
    let id: String
    let visitor: [UInt8]
    let day: Int
    let continuation: CheckedContinuation<Int, any Error>
}

/// The hits waiting to be counted, and how many batches are being counted now.
final class HitBatches: @unchecked Sendable {
    /// Batches counted at once: two, so that one is sent while the other commits.
    static let maximumInFlight = 2
    /// Most hits in one statement.
    static let maximumSize = 1000

    private let lock = NSLock()
    private var waiting: [PendingHit] = []
    private var inFlight = 0

    /// Adds `hit`; returns the batch to count now when fewer than `maximumInFlight` are running.
    func add(_ hit: PendingHit) -> [PendingHit]? {
        lock.withLock {
            waiting.append(hit)
            guard inFlight < Self.maximumInFlight else { return nil }
            inFlight += 1
            return take()
        }
    }

    /// A batch is done; returns the next one (the hits that came meanwhile), or nil when none wait.
    func finished() -> [PendingHit]? {
        lock.withLock {
            guard !waiting.isEmpty else {
                inFlight -= 1
                return nil
            }
            return take()
        }
    }

    private func take() -> [PendingHit] {
        let batch = Array(waiting.prefix(Self.maximumSize))
        waiting.removeFirst(batch.count)
        return batch
    }
}

/// The first of several answers, given to one continuation.
private final class FirstAnswer<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var early: Result<T, any Error>?
    private var done = false

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        let result: Result<T, any Error>? = lock.withLock {
            if let early { return early }
            self.continuation = continuation
            return nil
        }
        if let result { continuation.resume(with: result) }
    }

    func resume(with result: Result<T, any Error>) {
        let target: CheckedContinuation<T, any Error>? = lock.withLock {
            guard !done else { return nil }
            done = true
            if continuation == nil { early = result }
            return continuation
        }
        target?.resume(with: result)
    }
}
