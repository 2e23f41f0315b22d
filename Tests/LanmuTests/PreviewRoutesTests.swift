import Foundation
import Testing

@testable import LanmuCore
@testable import LanmuServer

/// The preview's answers, in process: status, headers and body for each kind of request.
@Suite struct PreviewRoutesTests {
    let site: TestSite
    let live: LiveSite
    let routes: PreviewRoutes

    init() throws {
        var files = TestSite.column(articles: 3)
        files["content/专题/_index.md"] = TestSite.section("中文专题")
        files["content/专题/文章.md"] = TestSite.article("中文路径", date: "2025-03-01")
        site = try TestSite(files)
        live = LiveSite(options: site.options)
        #expect(live.rebuild(now: testNow).succeeded)
        routes = PreviewRoutes(site: live, state: PreviewState(), counter: ViewCounter(), extraHosts: [])
    }

    func get(_ target: String, _ headers: [String: String] = [:], method: String = "GET") -> PreviewResponse {
        routes.respond(
            to: PreviewRequest(
                method: method, target: target, headers: ["Host": "127.0.0.1:8000"].merging(headers) { $1 }))
    }

    @Test func directoriesServeTheirIndexWithTheLiveScript() {
        let home = get("/")
        #expect(home.status == 200)
        #expect(home.header("Content-Type") == "text/html; charset=utf-8")
        #expect(home.header("Cache-Control") == "no-cache")
        #expect(home.text.contains("<script src=\"/__lanmu/live.js\"></script></head>"))
        #expect(home.header("Content-Length") == String(home.text.utf8.count))
        let column = get("/sanfuwu/shixian/?from=nav")
        #expect(column.status == 200)
        #expect(column.text.contains("<h1 class=\"box-title list-title\">市县动态</h1>"))
    }

    /// The inspection's checks over the last good build, at an internal page that reloads with the site.
    @Test func theAuditPageShowsTheInspectionOfTheLastGoodBuild() throws {
        let page = get("/__lanmu/audit")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.contains("网站检查报告"))
        #expect(page.text.contains("首页不更新"), "the sample columns' newest article is far older than two weeks")
        #expect(page.text.contains("<script src=\"/__lanmu/live.js\"></script>"), "it follows the edits")
        let empty = PreviewRoutes(
            site: LiveSite(options: site.options), state: PreviewState(), counter: ViewCounter(), extraHosts: [])
        let before = empty.respond(
            to: PreviewRequest(method: "GET", target: "/__lanmu/audit", headers: ["Host": "127.0.0.1:8000"]))
        #expect(before.status == 503)
    }

    @Test func theScriptIsOnlyInjectedIntoHTML() {
        for target in ["/assets/css/lanmu.css", "/index.xml", "/sitemap.xml", "/assets/js/lanmu.js"] {
            let response = get(target)
            #expect(response.status == 200, "\(target)")
            #expect(!response.text.contains("__lanmu/live.js"), "\(target)")
        }
        #expect(get("/assets/css/lanmu.css").header("Content-Type") == "text/css; charset=utf-8")
        #expect(get("/assets/js/lanmu.js").header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(get("/index.xml").header("Content-Type") == "application/xml; charset=utf-8")
    }

    @Test func chinesePathsAreServed() {
        let page = get("/%E4%B8%93%E9%A2%98/%E6%96%87%E7%AB%A0/")
        #expect(page.status == 200)
        #expect(page.text.contains("中文路径"))
    }

    @Test func aDirectoryWithoutItsSlashRedirects() {
        let response = get("/sanfuwu/shixian?x=1")
        #expect(response.status == 301)
        #expect(response.header("Location") == "/sanfuwu/shixian/?x=1")
    }

    @Test func unknownPathsAre404PagesWithoutListings() {
        let missing = get("/nope/")
        #expect(missing.status == 404)
        #expect(missing.text.contains("404 页面不存在"))
        #expect(get("/assets/").status == 404, "no directory listing")
        #expect(get("/__lanmu/other").status == 404)
    }

    @Test(arguments: PreviewAttacks.traversals)
    func traversalAttemptsAreRefused(target: String) {
        let response = get(target)
        #expect(response.status == 400, "\(target) → \(response.status)")
        #expect(!response.text.contains("root:"))
    }

    @Test(arguments: PreviewAttacks.foreignHosts)
    func foreignHostsAreRefused(host: String) {
        #expect(get("/", ["Host": host]).status == 403)
    }

    @Test(arguments: PreviewAttacks.loopbackHosts)
    func loopbackNamesAndAddressesAreAccepted(host: String) {
        #expect(get("/", ["Host": host]).status == 200)
    }

    @Test func theConfiguredHostIsAccepted() {
        let configured = PreviewRoutes(
            site: live, state: PreviewState(), counter: ViewCounter(), extraHosts: ["mybox.lan"])
        let request = PreviewRequest(method: "GET", target: "/", headers: ["Host": "mybox.lan:8000"])
        #expect(configured.respond(to: request).status == 200)
    }

    @Test func aMissingHostIsRefused() {
        #expect(routes.respond(to: PreviewRequest(method: "GET", target: "/")).status == 403)
    }

    @Test(arguments: PreviewAttacks.refusedMethods)
    func onlyGetAndHeadAreAllowed(method: String) {
        let response = get("/", method: method)
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
    }

    @Test func headHasTheHeadersButNoBody() {
        let head = get("/", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body == .bytes([]))
        #expect(head.header("Content-Length") == get("/").header("Content-Length"))
    }

    @Test func eventsCheckTheOrigin() {
        #expect(get("/__lanmu/events").body == .events)
        #expect(get("/__lanmu/events", ["Origin": "http://127.0.0.1:8000"]).body == .events)
        #expect(
            get("/__lanmu/events", ["Origin": "http://localhost:8000"]).header("Content-Type")
                == "text/event-stream; charset=utf-8")
        for origin in PreviewAttacks.foreignOrigins {
            #expect(get("/__lanmu/events", ["Origin": origin]).status == 403, "\(origin)")
        }
    }

    @Test func etagsAnswer304AndChangeAfterARebuild() throws {
        let first = get("/sanfuwu/shixian/a01/")
        let tag = try #require(first.header("ETag"))
        let again = get("/sanfuwu/shixian/a01/", ["If-None-Match": tag])
        #expect(again.status == 304)
        #expect(again.body == .bytes([]))
        try site.write(TestSite.article("改过", date: "2025-03-01 09:00"), to: "content/sanfuwu/shixian/a01.md")
        #expect(live.rebuild(now: testNow).succeeded)
        let fresh = get("/sanfuwu/shixian/a01/", ["If-None-Match": tag])
        #expect(fresh.status == 200, "a stale page is never answered with 304 after a rebuild")
        #expect(fresh.text.contains("改过"))
    }

    @Test func rangesAreAnswered() throws {
        let whole = get("/assets/css/lanmu.css").text.utf8.count
        for range in PreviewAttacks.ranges(size: whole) {
            let response = get("/assets/css/lanmu.css", ["Range": range.header])
            #expect(response.status == range.status, "\(range.header)")
            #expect(response.header("Content-Range") == range.contentRange, "\(range.header)")
        }
        #expect(get("/assets/css/lanmu.css", ["Range": "bytes=0-9"]).text.utf8.count == 10)
        #expect(get("/assets/css/lanmu.css", ["Range": "bytes=-3"]).text.utf8.count == 3)
    }

    @Test func theCounterCountsPerArticle() {
        #expect(get("/__lanmu/counter?id=sanfuwu%2Fshixian%2Fa01").text == "{\"count\": 1}")
        #expect(get("/__lanmu/counter?id=sanfuwu%2Fshixian%2Fa01").text == "{\"count\": 2}")
        #expect(get("/__lanmu/counter?id=sanfuwu%2Fshixian%2Fa02").text == "{\"count\": 1}")
        #expect(
            get("/__lanmu/counter?id=sanfuwu%2Fshixian%2Fa02").header("Content-Type")
                == "application/json; charset=utf-8")
    }

    /// A list page reads its articles' counts (`?ids=a,b`, as `lanmu counter` answers them) without counting a view.
    @Test func theCounterReadsListsWithoutCounting() {
        #expect(get("/__lanmu/counter?id=sanfuwu%2Fshixian%2Fa01").text == "{\"count\": 1}")
        let read = get("/__lanmu/counter?ids=sanfuwu/shixian/a01,sanfuwu%2Fshixian%2Fa02,other,sanfuwu")
        #expect(read.status == 200)
        #expect(read.text == #"{"sanfuwu/shixian/a01":1,"sanfuwu/shixian/a02":0}"#)
        #expect(read.header("Content-Type") == "application/json; charset=utf-8")
        #expect(get("/__lanmu/counter?ids=sanfuwu/shixian/a01").text == #"{"sanfuwu/shixian/a01":1}"#)
        #expect(get("/__lanmu/counter?id=sanfuwu%2Fshixian%2Fa01").text == "{\"count\": 2}")
        let many = (0...100).map { "sanfuwu/shixian/a\($0)" }.joined(separator: ",")
        #expect(get("/__lanmu/counter?ids=\(many)").status == 400)
        #expect(get("/__lanmu/counter?ids=").status == 400)
        #expect(get("/__lanmu/counter?ids=sanfuwu/shixian/a01", ["Sec-Fetch-Site": "cross-site"]).status == 403)
    }

    /// Any id from any page was counted and kept (5,000 ids of 50 KB grew the server by 245 MB): only the site's
    /// articles count, and requests from other sites are refused, as the event stream refuses them.
    @Test func theCounterCountsOnlyArticlesAndOnlyForThisSite() {
        for id in ["other", "sanfuwu", "sanfuwu%2Fshixian", String(repeating: "x", count: 50_000)] {
            let response = get("/__lanmu/counter?id=\(id)")
            #expect(response.status == 404, "\(id.prefix(20))")
            #expect(response.text == "{\"count\": 0}")
        }
        for origin in PreviewAttacks.foreignOrigins {
            #expect(get("/__lanmu/counter?id=sanfuwu%2Fshixian%2Fa01", ["Origin": origin]).status == 403, "\(origin)")
        }
        for fetchSite in ["cross-site", "same-site"] {
            #expect(get("/__lanmu/counter?id=sanfuwu%2Fshixian%2Fa01", ["Sec-Fetch-Site": fetchSite]).status == 403)
        }
        // The page's own request, and one typed into the address bar.
        let own = get(
            "/__lanmu/counter?id=sanfuwu%2Fshixian%2Fa01",
            ["Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"])
        #expect(own.text == "{\"count\": 1}")
        #expect(get("/__lanmu/counter?id=sanfuwu%2Fshixian%2Fa01", ["Sec-Fetch-Site": "none"]).text == "{\"count\": 2}")
    }

    @Test func theLiveScriptSetsThePreviewCounter() {
        let script = get("/__lanmu/live.js")
        #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(script.text.contains("window.lanmuPreviewCounter = \"/__lanmu/counter\""))
        #expect(script.text.contains("new EventSource(\"/__lanmu/events\")"))
    }

    @Test func aFailedRebuildIsAnnouncedAndTheLastGoodSiteServed() async throws {
        let hub = LiveReloadHub()
        let before = get("/sanfuwu/shixian/a02/").text
        try site.write("---\ntitle: 坏\n", to: "content/sanfuwu/shixian/a02.md")
        let summary = live.rebuild(now: testNow)
        #expect(!summary.succeeded)
        let (_, stream) = hub.subscribe(failure: summary.diagnostics.map(\.description))
        hub.closeAll()
        var events: [String] = []
        for await event in stream { events.append(event) }
        #expect(events.count == 2)
        #expect(
            events[1].hasPrefix(
                "event: failed\ndata: {\"diagnostics\":[\"content\\/sanfuwu\\/shixian\\/a02.md:1:1: 错误 E003"))
        #expect(get("/sanfuwu/shixian/a02/").text == before)
    }
}
