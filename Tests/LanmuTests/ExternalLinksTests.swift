import Foundation
import Testing

@testable import LanmuCore
@testable import LanmuHTTPClient

#if canImport(Glibc)
    import Glibc
#endif

/// `lanmu audit --external` against servers on this machine, through the NIO client lanmu ships.
@Suite struct ExternalLinksTests {
    static let loopback = ExternalLinks(requester: StatusClient(), timeout: 2, onlyHosts: ["127.0.0.1"])

    /// Each way a server can answer: 200, a redirect to 200, HEAD refused but GET answered, 404, 500, too slow,
    /// and a connection closed without an answer; every request says who asks.
    @Test func eachAnswerIsTold() throws {
        let server = try LoopbackHTTPServer()
        let paths = ["/ok", "/moved", "/no-head", "/missing", "/error", "/slow", "/close"]
        let outcomes = Self.loopback.check(paths.map(server.url)).compactMap { $0 }
        #expect(outcomes.count == paths.count)
        #expect(outcomes.map(\.broken) == [false, false, false, true, true, true, true])
        #expect(outcomes.map(\.status) == [200, 200, 200, 404, 500, nil, nil])
        #expect(outcomes[5].reason == "超时")
        #expect(outcomes[6].reason == "连接被断开")
        #expect(server.requests.allSatisfy { $0.hasSuffix("Lanmu-audit/1 (website self-check)") })
        #expect(server.requests.contains("GET /no-head Lanmu-audit/1 (website self-check)"), "HEAD refused, then GET")
        #expect(!server.requests.contains { $0.hasPrefix("GET /ok") }, "HEAD was enough")
        #expect(
            server.requests.filter { $0 == "HEAD /ok Lanmu-audit/1 (website self-check)" }.count == 2,
            "/ok asked itself and once more after /moved's redirect")
    }

    /// Redirects relative to the page are followed; a redirect loop ends with its own reason; an answer that is not
    /// HTTP, and a port nobody listens on, are told apart; the path and query go out as written.
    @Test func redirectsAndFailuresAreTold() throws {
        let server = try LoopbackHTTPServer()
        let closed = try Self.portNobodyListensOn()
        let links = [
            server.url("/relative"), server.url("/loop"), server.url("/garbage"), "http://127.0.0.1:\(closed)/",
            server.url("/ok?q=%E6%96%B0&x=1"),
        ]
        let outcomes = Self.loopback.check(links).compactMap { $0 }
        #expect(outcomes.map(\.status) == [200, nil, nil, nil, 200])
        #expect(outcomes.map(\.reason) == ["HTTP 200", "重定向次数太多", "服务器的回应无法识别", "连不上服务器", "HTTP 200"])
        #expect(outcomes.map(\.url) == links)
        #expect(server.requests.contains("HEAD /ok?q=%E6%96%B0&x=1 Lanmu-audit/1 (website self-check)"))
        #expect(
            server.requests.filter { $0.hasPrefix("HEAD /loop ") }.count == 11, "the first request and 10 redirects")
    }

    /// HTTPS: a certificate the system does not trust is a certificate problem; trusted, the same server answers.
    @Test func httpsChecksTheCertificate() throws {
        let server = try LoopbackHTTPSServer()
        let untrusted = Self.loopback.check([server.url("/ok")])
        #expect(untrusted == [ExternalLinks.Outcome(url: server.url("/ok"), status: nil, problem: "HTTPS 证书或加密连接有问题")])
        let trusting = ExternalLinks(
            requester: StatusClient(trusting: [LoopbackHTTPSServer.certificate]), timeout: 2, onlyHosts: ["127.0.0.1"])
        #expect(
            trusting.check([server.url("/ok")]) == [
                ExternalLinks.Outcome(url: server.url("/ok"), status: 200, problem: nil)
            ])
    }

    /// Broken links to other sites count like the site's own: on the home page a point, elsewhere a tenth for each
    /// page they are on.
    @Test func brokenOutsideLinksAreDeductedPerPage() throws {
        let server = try LoopbackHTTPServer()
        let site = try TestSite(SiteAuditTests.site(columns: [("动态", "", [1, 2])]))
        let home = "templates/home.mustache"
        try site.write(
            try site.read(home).replacingOccurrences(
                of: "<div class=\"home\">",
                with:
                    "<div class=\"home\"><a href=\"\(server.url("/missing"))\">坏</a><a href=\"\(server.url("/ok"))\">好</a>"
            ),
            to: home)
        let article = "templates/article.mustache"
        try site.write(
            try site.read(article).replacingOccurrences(
                of: "</article>", with: "<a href=\"\(server.url("/error"))\">外</a></article>"), to: article)
        let day = LocalDateTime.daysSince1970(year: 2026, month: 6, day: 30)
        let endOfDay = Date(timeIntervalSince1970: TimeInterval((day + 1) * 86_400 - 8 * 3_600))
        let loaded = try #require(Generator(options: site.options).load(now: endOfDay).0)
        let report = try SiteAudit(loaded: loaded, today: day, external: Self.loopback).run()
        let broken = report.findings.filter { $0.check == "broken_external_link" }
        #expect(broken.map(\.target) == [server.url("/missing"), server.url("/error")], "by page: the home page first")
        #expect(broken[0].message == "站外链接打不开（HTTP 404）：\(server.url("/missing"))，在 /")
        #expect(broken[1].message == "站外链接打不开（HTTP 500）：\(server.url("/error"))，在 /gk/c0/a0/、/gk/c0/a1/、/xw/a/")
        #expect(report.brokenOnHome == 1 && report.brokenElsewhere == 3)
        #expect(report.deductedPoints == 1.3)
        let plain = try SiteAudit(loaded: loaded, today: day).run()
        #expect(!plain.findings.contains { $0.check == "broken_external_link" }, "only with --external")
        #expect(server.requests.count == 5, "HEAD enough for /ok; GET after the 404 and 500 HEADs: \(server.requests)")
        #expect(
            ExternalLinks(requester: StatusClient(), onlyHosts: ["127.0.0.1"]).check(["https://www.gov.cn/"]) == [nil],
            "no other host is asked")
    }

    /// A loopback port that was free a moment ago (bound, read, closed).
    static func portNobodyListensOn() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
