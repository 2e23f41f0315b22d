import Foundation
import Testing

@testable import LanmuCounter

/// The counter's API in process, over a real SQLite store in a fresh folder.
@Suite struct CounterRoutesTests {
    /// A clock a test moves forward.
    final class TestClock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = Date(timeIntervalSince1970: 1_767_196_800)
        var now: Date { lock.withLock { current } }
        func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
    }

    /// A store, a manifest naming `ids`, and routes over them.
    struct Fixture {
        let folder: URL
        let store: SQLiteCounterStore
        let manifest: ArticleManifest
        let clock = TestClock()

        init(ids: [String] = ["sanfuwu/shixian/a01", "sanfuwu/shixian/a02", "zhengwu/通知/公告"]) throws {
            folder = testScratch.appendingPathComponent("counter-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let lines = ids.map { "\($0)\t/\($0)/\n" }.joined()
            try Data(lines.utf8).write(to: folder.appendingPathComponent("counter-ids.txt"))
            manifest = try ArticleManifest(path: folder.appendingPathComponent("counter-ids.txt").path)
            store = try SQLiteCounterStore(path: folder.appendingPathComponent("counter.sqlite").path)
        }

        func routes(trusted: Set<String> = [], origin: String? = nil, rateLimit: Int = 0) -> CounterRoutes {
            let clock = clock
            return CounterRoutes(
                store: store, manifest: manifest, trustedProxies: trusted, allowedOrigin: origin, rateLimit: rateLimit,
                day: VisitorDay(timeZone: TimeZone(identifier: "Asia/Shanghai")!, now: { clock.now }))
        }
    }

    static func request(
        _ method: String, _ target: String, peer: String = "192.0.2.1", headers: [String: String] = [:]
    ) -> CounterRequest {
        CounterRequest(method: method, target: target, headers: headers, peer: peer)
    }

    @Test func aVisitorCountsOncePerArticlePerDay() async throws {
        let fixture = try Fixture()
        let routes = fixture.routes()
        let first = await routes.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01"))
        #expect(first.status == 200)
        #expect(first.body == #"{"id":"sanfuwu/shixian/a01","hits":1}"#)
        #expect(first.headers.contains { $0 == ("Content-Type", "application/json; charset=utf-8") })
        let again = await routes.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01"))
        #expect(again.body == #"{"id":"sanfuwu/shixian/a01","hits":1}"#)
        // Another browser at the same address, another address, another article: each counts.
        let otherAgent = await routes.respond(
            to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01", headers: ["user-agent": "Firefox"]))
        #expect(otherAgent.body == #"{"id":"sanfuwu/shixian/a01","hits":2}"#)
        let otherAddress = await routes.respond(
            to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01", peer: "198.51.100.7"))
        #expect(otherAddress.body == #"{"id":"sanfuwu/shixian/a01","hits":3}"#)
        let chinese = await routes.respond(
            to: Self.request("POST", "/api/hits/zhengwu/%E9%80%9A%E7%9F%A5/%E5%85%AC%E5%91%8A"))
        #expect(chinese.body == #"{"id":"zhengwu/通知/公告","hits":1}"#)
        // The next day the first visitor counts again.
        fixture.clock.advance(by: 86_400)
        let nextDay = await routes.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01"))
        #expect(nextDay.body == #"{"id":"sanfuwu/shixian/a01","hits":4}"#)
        await fixture.store.close()
    }

    @Test func readingCountsCountsNothing() async throws {
        let fixture = try Fixture()
        let routes = fixture.routes()
        _ = await routes.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a02"))
        for _ in 0..<3 {
            let read = await routes.respond(
                to: Self.request("GET", "/api/hits?ids=sanfuwu/shixian/a01,sanfuwu/shixian/a02,nope/x"))
            #expect(read.status == 200)
            #expect(read.body == #"{"sanfuwu/shixian/a01":0,"sanfuwu/shixian/a02":1}"#)
        }
        let repeated = await routes.respond(
            to: Self.request("GET", "/api/hits?ids=nope/x,sanfuwu/shixian/a02,sanfuwu/shixian/a01,sanfuwu/shixian/a02"))
        #expect(repeated.body == #"{"sanfuwu/shixian/a02":1,"sanfuwu/shixian/a01":0}"#, "each id once, in asked order")
        let tooMany = (0...100).map { "a\($0)" }.joined(separator: ",")
        #expect(await routes.respond(to: Self.request("GET", "/api/hits?ids=" + tooMany)).status == 400)
        #expect(await routes.respond(to: Self.request("GET", "/api/hits")).status == 400)
        #expect(await routes.respond(to: Self.request("GET", "/api/hits?ids=../etc")).status == 400)
        #expect(await routes.respond(to: Self.request("GET", "/healthz")).body == "ok\n")
        await fixture.store.close()
    }

    static let malformed = [
        "/api/hits/../../etc/passwd", "/api/hits/sanfuwu/../sanfuwu/shixian/a01", "/api/hits/%2E%2E/x",
        "/api/hits/sanfuwu%2F..%2F..%2Fx", "/api/hits/sanfuwu/shixian/a01%00", "/api/hits/%00",
        "/api/hits/a01'%20OR%20'1'='1", "/api/hits/a01;DROP%20TABLE%20hits", "/api/hits/a01%22--",
        "/api/hits/" + String(repeating: "a", count: 10 * 1024), "/api/hits/sanfuwu//shixian", "/api/hits/",
        "/api/hits/%ZZ", "/api/hits/a01?x=1", "/api/hits/a%0Ab", "/api/hits/%3Cscript%3E",
        "/api/hits/sanfuwu/shixian/../%CC%81",
    ]

    @Test func malformedIDsAre400AndUnknownOnes404() async throws {
        let fixture = try Fixture()
        let routes = fixture.routes()
        for target in Self.malformed {
            let response = await routes.respond(to: Self.request("POST", target))
            #expect(response.status == 400, "\(target.prefix(80)): \(response.body)")
        }
        #expect(await routes.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a99")).status == 404)
        #expect(await routes.respond(to: Self.request("POST", "/api/other")).status == 404)
        #expect(await routes.respond(to: Self.request("GET", "/api/hits/sanfuwu/shixian/a01")).status == 405)
        #expect(await routes.respond(to: Self.request("DELETE", "/api/hits")).status == 405)
        // Nothing of it reached the counts.
        let read = await routes.respond(to: Self.request("GET", "/api/hits?ids=sanfuwu/shixian/a01"))
        #expect(read.body == #"{"sanfuwu/shixian/a01":0}"#)
        await fixture.store.close()
    }

    @Test func aFloodFromOneAddressIsRefusedWith429() async throws {
        let fixture = try Fixture()
        let routes = fixture.routes(rateLimit: 5)
        var statuses: [Int] = []
        for index in 0..<8 {
            let agent = ["user-agent": "bot \(index)"]
            statuses.append(
                await routes.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01", headers: agent)).status)
        }
        #expect(statuses == [200, 200, 200, 200, 200, 429, 429, 429])
        // Another address is not held back, and the window ends after a minute.
        #expect(
            await routes.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01", peer: "192.0.2.9")).status
                == 200)
        fixture.clock.advance(by: 61)
        #expect(await routes.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01")).status == 200)
        await fixture.store.close()
    }

    @Test func forwardedForIsBelievedOnlyFromATrustedProxy() async throws {
        let fixture = try Fixture()
        let routes = fixture.routes(trusted: ["127.0.0.1"])
        let forged = Self.request("POST", "/x", peer: "192.0.2.1", headers: ["x-forwarded-for": "203.0.113.5"])
        #expect(routes.clientAddress(of: forged) == "192.0.2.1")
        let proxied = Self.request(
            "POST", "/x", peer: "127.0.0.1", headers: ["x-forwarded-for": "10.9.9.9, 203.0.113.5, 127.0.0.1"])
        #expect(routes.clientAddress(of: proxied) == "203.0.113.5")
        let direct = Self.request("POST", "/x", peer: "127.0.0.1")
        #expect(routes.clientAddress(of: direct) == "127.0.0.1")
        // Two clients behind the proxy are two visitors.
        for address in ["203.0.113.5", "203.0.113.6", "203.0.113.5"] {
            _ = await routes.respond(
                to: Self.request(
                    "POST", "/api/hits/sanfuwu/shixian/a01", peer: "127.0.0.1", headers: ["x-forwarded-for": address]))
        }
        let read = await routes.respond(to: Self.request("GET", "/api/hits?ids=sanfuwu/shixian/a01"))
        #expect(read.body == #"{"sanfuwu/shixian/a01":2}"#)
        await fixture.store.close()
    }

    @Test func noCORSUnlessAnOriginIsAllowed() async throws {
        let fixture = try Fixture()
        let origin = ["origin": "https://www.example.gov.cn"]
        let closed = fixture.routes()
        let plain = await closed.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01", headers: origin))
        #expect(!plain.headers.contains { $0.0.hasPrefix("Access-Control") })
        #expect(await closed.respond(to: Self.request("OPTIONS", "/api/hits/sanfuwu/shixian/a01")).status == 405)
        let open = fixture.routes(origin: "https://www.example.gov.cn")
        let allowed = await open.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01", headers: origin))
        #expect(allowed.headers.contains { $0 == ("Access-Control-Allow-Origin", "https://www.example.gov.cn") })
        let other = await open.respond(
            to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01", headers: ["origin": "https://evil.example"]))
        #expect(!other.headers.contains { $0.0.hasPrefix("Access-Control") })
        let preflight = await open.respond(
            to: Self.request("OPTIONS", "/api/hits/sanfuwu/shixian/a01", headers: origin))
        #expect(preflight.status == 204)
        await fixture.store.close()
    }

    @Test func aNewBuildsArticlesCountWithoutARestart() async throws {
        let fixture = try Fixture(ids: ["a"])
        let routes = fixture.routes()
        #expect(await routes.respond(to: Self.request("POST", "/api/hits/b")).status == 404)
        try await Task.sleep(for: .milliseconds(1100))
        try Data("a\t/a/\nb\t/b/\n".utf8).write(to: fixture.folder.appendingPathComponent("counter-ids.txt"))
        #expect(await routes.respond(to: Self.request("POST", "/api/hits/b")).status == 200)
        #expect(fixture.manifest.id(forURL: "https://www.example.gov.cn/b/") == "b")
        #expect(fixture.manifest.id(forURL: "/a/index.html") == "a")
        await fixture.store.close()
    }

    @Test func exportAndImportCarryCountsOver() async throws {
        let fixture = try Fixture()
        let routes = fixture.routes()
        _ = await routes.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01"))
        let csv = "旧网址或 id,浏览次数\n/sanfuwu/shixian/a01/,100\n\"zhengwu/通知/公告\",7\n"
        let parsed = CounterCSV.parse(csv, manifest: fixture.manifest)
        #expect(parsed.problems.isEmpty)
        try await fixture.store.setImported(parsed.rows)
        try await fixture.store.setImported(parsed.rows)  // a second import replaces, never adds
        #expect(
            CounterCSV.export(try await fixture.store.allCounts())
                == "id,hits\nsanfuwu/shixian/a01,101\nzhengwu/通知/公告,7\n")
        let hit = await routes.respond(to: Self.request("POST", "/api/hits/sanfuwu/shixian/a01", peer: "192.0.2.2"))
        #expect(hit.body == #"{"id":"sanfuwu/shixian/a01","hits":102}"#)
        let bad = CounterCSV.parse("id,hits\nnope/x,3\nsanfuwu/shixian/a02,-1\na,b,c\n", manifest: fixture.manifest)
        #expect(
            bad.problems.map(\.description) == [
                "第 2 行：“nope/x”不是站点里的文章 id 或文章网址（见 public/counter-ids.txt）", "第 3 行：次数“-1”不是非负整数",
                "第 4 行：要有两列（文章 id 或网址, 次数），这一行有 3 列",
            ])
        await fixture.store.close()
    }
}
