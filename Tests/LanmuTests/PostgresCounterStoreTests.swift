import Foundation
import Testing

@testable import LanmuCounter

#if canImport(Glibc)
    import Glibc
#endif

/// Where the PostgreSQL tests connect: `LANMU_TEST_POSTGRES_URL`, else the URL `.ci/postgres-start` wrote into
/// `.build/test-postgres-url`. Neither: the suite is skipped. A URL whose server does not answer fails it.
/// When the URL came from that file and nothing answers on its port (CI runs `swift test` in a later step, and the
/// server may not have outlived `.ci/run`'s), `.ci/postgres-start` is run again once: it starts the cluster it made.
let testPostgresURL: String? = {
    if let url = ProcessInfo.processInfo.environment["LANMU_TEST_POSTGRES_URL"], !url.isEmpty { return url }
    let file = repositoryRoot.appendingPathComponent(".build/test-postgres-url")
    // No file: no PostgreSQL here, the suite is skipped.
    guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
    let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !url.isEmpty else { return nil }
    if let port = URLComponents(string: url)?.port, !isListening(port: port) {
        // posix_spawn and waitpid rather than Process: this runs while Swift Testing evaluates the suite's trait,
        // where Process.waitUntilExit never saw the script end. A failure shows as the suite's connection errors.
        let script = repositoryRoot.appendingPathComponent(".ci/postgres-start").path
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        for descriptor: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(
                &actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/bash"), strdup(script), nil]
        if posix_spawn(&pid, "/bin/bash", &actions, nil, arguments, environ) == 0 {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        posix_spawn_file_actions_destroy(&actions)
        arguments.forEach { free($0) }
    }
    return url
}()

/// Whether something accepts TCP connections on 127.0.0.1 at `port`.
func isListening(port: Int) -> Bool {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    } == 0
}

/// The same behaviour asked of both stores: dedup per visitor and day, totals, salts, days forgotten, imports.
func expectCounterBehaviour(of store: any CounterStore, sourceLocation: SourceLocation = #_sourceLocation)
    async throws
{
    let one: [UInt8] = Array(repeating: 1, count: 16)
    let two: [UInt8] = Array(repeating: 2, count: 16)
    #expect(try await store.hit("a", visitor: one, day: 100) == 1, sourceLocation: sourceLocation)
    #expect(try await store.hit("a", visitor: one, day: 100) == 1, sourceLocation: sourceLocation)
    #expect(try await store.hit("a", visitor: two, day: 100) == 2, sourceLocation: sourceLocation)
    #expect(try await store.hit("b", visitor: one, day: 100) == 1, sourceLocation: sourceLocation)
    let salt = try await store.salt(for: 100)
    #expect(salt.count == 32, sourceLocation: sourceLocation)
    #expect(try await store.salt(for: 100) == salt, sourceLocation: sourceLocation)
    #expect(try await store.salt(for: 101) != salt, sourceLocation: sourceLocation)
    #expect(try await store.hit("a", visitor: one, day: 101) == 3, sourceLocation: sourceLocation)
    #expect(try await store.counts(of: ["a", "b", "c"]) == ["a": 3, "b": 1, "c": 0], sourceLocation: sourceLocation)
    try await store.setImported([("a", 100), ("c", 5)])
    try await store.setImported([("a", 100), ("c", 5)])
    let all = try await store.allCounts()
    #expect(all.map(\.id) == ["a", "b", "c"], sourceLocation: sourceLocation)
    #expect(all.map(\.hits) == [103, 1, 5], sourceLocation: sourceLocation)
    #expect(try await store.hit("c", visitor: two, day: 101) == 6, sourceLocation: sourceLocation)
    #expect(await store.isHealthy(), sourceLocation: sourceLocation)
}

@Suite(.serialized, .enabled(if: testPostgresURL != nil, "no PostgreSQL: run .ci/postgres-start"))
struct PostgresCounterStoreTests {
    /// The test URL with a schema of its own, so that runs and tests do not share tables.
    static func isolatedURL(_ base: String, through port: Int? = nil) throws -> String {
        var components = try #require(URLComponents(string: base))
        if let port { components.port = port }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "schema", value: schema)]
        return try #require(components.string)
    }

    @Test func behavesAsTheSQLiteStoreDoes() async throws {
        let baseURL = try #require(testPostgresURL)
        let store = try await PostgresCounterStore(url: try Self.isolatedURL(baseURL))
        try await expectCounterBehaviour(of: store)
        await store.close()
    }

    @Test func concurrentHitsAreEachAnsweredWithADistinctTotal() async throws {
        let baseURL = try #require(testPostgresURL)
        let store = try await PostgresCounterStore(url: try Self.isolatedURL(baseURL))
        let totals = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await store.hit("a", visitor: withUnsafeBytes(of: index.bigEndian, Array.init), day: 7)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(totals.sorted() == Array(1...200))
        await store.close()
    }

    /// PostgreSQL going away (every connection cut, new ones refused) and coming back: hits are answered 503 while it
    /// is away, nothing crashes or hangs, and counting resumes where it stopped.
    @Test func hitsAre503WhileTheDatabaseIsAwayAndResumeAfter() async throws {
        let baseURL = try #require(testPostgresURL)
        let base = try #require(URLComponents(string: baseURL))
        let relay = try TCPRelay(to: base.port ?? 5432)
        defer { relay.stop() }
        let url = try Self.isolatedURL(baseURL, through: relay.port)
        let store = try await PostgresCounterStore(url: url, timeout: .seconds(1))
        let folder = testScratch.appendingPathComponent("counter-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("a\t/a/\n".utf8).write(to: folder.appendingPathComponent("ids.txt"))
        let routes = CounterRoutes(
            store: store, manifest: try ArticleManifest(path: folder.appendingPathComponent("ids.txt").path))
        func post(_ peer: String) async -> CounterResponse {
            await routes.respond(to: CounterRequest(method: "POST", target: "/api/hits/a", headers: [:], peer: peer))
        }
        #expect(await post("192.0.2.1").body == #"{"id":"a","hits":1}"#)

        relay.takeDown()
        let started = ContinuousClock.now
        #expect(await post("192.0.2.2").status == 503)
        #expect(await routes.respond(to: CounterRequest(method: "GET", target: "/healthz", headers: [:])).status == 503)
        #expect(ContinuousClock.now - started < .seconds(10))

        relay.bringBack()
        var resumed = CounterResponse(status: 0, headers: [], body: "")
        for attempt in 0..<40 {
            resumed = await post("192.0.2.\(3 + attempt)")
            if resumed.status == 200 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(resumed.body == #"{"id":"a","hits":2}"#)
        await store.close()
    }

    @Test func aServerThatDoesNotAnswerIsAClearStartError() async throws {
        let relay = try TCPRelay(to: 9)
        relay.takeDown()
        defer { relay.stop() }
        do {
            _ = try await PostgresCounterStore(
                url: "postgres://lanmu:secret@127.0.0.1:\(relay.port)/lanmu", timeout: .seconds(1))
            Issue.record("started without a database")
        } catch {
            #expect(
                "\(error)".hasPrefix("连不上 PostgreSQL（postgres://lanmu:***@127.0.0.1:\(relay.port)/lanmu）"), "\(error)")
        }
        do {
            _ = try await PostgresCounterStore(url: "mysql://x")
            Issue.record("accepted a URL that is not PostgreSQL's")
        } catch {
            #expect("\(error)".hasPrefix("--postgres 的地址“mysql://x”看不懂"))
        }
    }
}
