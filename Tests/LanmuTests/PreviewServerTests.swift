import Foundation
import Testing

/// The real `lanmu serve` process on an ephemeral loopback port, talked to over raw sockets.
@Suite(.serialized) struct PreviewServerTests {
    /// A running `lanmu serve`; its log is collected from standard error.
    final class Server: @unchecked Sendable {
        let process = Process()
        let errors = Pipe()
        private let lock = NSLock()
        private var logText = ""
        private(set) var port = 0

        init(site: TestSite, arguments: [String] = ["--port", "0"], environment: [String: String] = [:]) throws {
            process.executableURL = CommandLineTests.executable
            process.arguments = ["serve", "--site", site.root.path] + arguments
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            }
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                // At the pipe's end the handler is taken off: left on, it fires again and again on the end of file
                // until the pipe is freed, and its descriptor can close under the dispatch source still watching it
                // (a full run crashed once in libdispatch's _dispatch_event_loop_drain).
                guard !data.isEmpty else {
                    handle.readabilityHandler = nil
                    return
                }
                guard let self else { return }
                self.lock.withLock { self.logText += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        var log: String { lock.withLock { logText } }

        /// Waits for a line of the log to contain `text`.
        func waitForLog(_ text: String, seconds: Double = 20) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if log.contains(text) { return true }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return false
        }

        func waitUntilListening() throws {
            #expect(waitForLog("预览地址：http://127.0.0.1:"), "\(log)")
            let tail = try #require(log.components(separatedBy: "预览地址：http://127.0.0.1:").last)
            port = try #require(Int(tail.prefix { $0.isNumber }))
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }

        /// How many files and sockets the server holds open.
        var descriptors: Int {
            (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd").count) ?? -1
        }

        /// The server's resident memory in kB.
        var residentKB: Int {
            let status =
                (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
        }

        /// Waits until the server holds at most `count` descriptors; whether it came to that.
        func waitForDescriptors(atMost count: Int, seconds: Double = 10) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if descriptors <= count { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
    }

    /// One TCP connection to the server, with a receive timeout.
    final class Connection {
        let socket: Int32

        init(port: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try #require(connected == 0)
        }

        deinit { close(socket) }

        /// Whether the server closed the connection within the time (a read that ends rather than times out).
        func isClosedByServer(within seconds: Double) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline {
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if count == 0 { return true }
                if count < 0, errno == ECONNRESET { return true }
            }
            return false
        }

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
        }

        /// Reads until `text` arrives, the peer closes, or the timeout passes.
        func read(until text: String? = nil, seconds: Double = 5) -> String {
            var received: [UInt8] = []
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while Date() < deadline {
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                received += buffer[0..<count]
                let text0 = String(decoding: received, as: UTF8.self)
                if let text, text0.contains(text) { break }
            }
            return String(decoding: received, as: UTF8.self)
        }

        func request(
            _ target: String, host: String = "127.0.0.1", method: String = "GET", headers: [String: String] = [:]
        ) -> String {
            let extra = headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined()
            send("\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n\(extra)Connection: close\r\n\r\n")
            return read(until: method == "GET" && target.hasPrefix("/__lanmu/events") ? "retry: 1000" : nil)
        }
    }

    /// The status code of a raw HTTP response, or 0 when the server closed without answering.
    static func status(of response: String) -> Int {
        let parts = response.prefix(while: { $0 != "\r" }).split(separator: " ")
        return parts.count >= 2 && parts[0] == "HTTP/1.1" ? Int(parts[1]) ?? 0 : 0
    }

    static func header(_ name: String, of response: String) -> String? {
        let head = response.components(separatedBy: "\r\n\r\n")[0]
        return head.components(separatedBy: "\r\n").dropFirst().first {
            $0.lowercased().hasPrefix(name.lowercased() + ":")
        }
        .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
    }

    /// Every traversal, Host, Origin, method and Range case of the in-process route tests, sent as raw bytes to the
    /// running process.
    @Test func theAttackCatalogueOverTheWire() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        let server = try Server(site: site)
        defer { server.stop() }
        try server.waitUntilListening()
        func ask(
            _ target: String, host: String = "127.0.0.1", method: String = "GET", _ headers: [String: String] = [:]
        )
            throws -> String
        {
            try Connection(port: server.port).request(target, host: host, method: method, headers: headers)
        }
        #expect(Self.status(of: try ask("/sanfuwu/shixian/")) == 200)
        for target in PreviewAttacks.traversals {
            let response = try ask(target)
            #expect(Self.status(of: response) == 400, "\(target): \(response.prefix(60))")
            #expect(!response.contains("root:"))
        }
        for host in PreviewAttacks.foreignHosts {
            #expect(Self.status(of: try ask("/", host: host)) == 403, "Host: \(host)")
        }
        for host in PreviewAttacks.loopbackHosts {
            #expect(Self.status(of: try ask("/", host: host)) == 200, "Host: \(host)")
        }
        for method in PreviewAttacks.refusedMethods {
            let response = try ask("/", method: method)
            #expect(Self.status(of: response) == 405, "\(method)")
            #expect(Self.header("Allow", of: response) == "GET, HEAD", "\(method)")
        }
        let head = try ask("/", method: "HEAD")
        #expect(Self.status(of: head) == 200)
        #expect(head.hasSuffix("\r\n\r\n"), "HEAD has no body")
        for origin in PreviewAttacks.foreignOrigins {
            #expect(Self.status(of: try ask("/__lanmu/events", ["Origin": origin])) == 403, "Origin: \(origin)")
        }
        let events = try ask("/__lanmu/events", ["Origin": "http://127.0.0.1:\(server.port)"])
        #expect(Self.header("Content-Type", of: events) == "text/event-stream; charset=utf-8")
        let css = try ask("/assets/css/lanmu.css")
        let size = try #require(Int(Self.header("Content-Length", of: css) ?? ""))
        for range in PreviewAttacks.ranges(size: size) {
            let response = try ask("/assets/css/lanmu.css", ["Range": range.header])
            #expect(Self.status(of: response) == range.status, "Range: \(range.header)")
            #expect(Self.header("Content-Range", of: response) == range.contentRange, "Range: \(range.header)")
        }
        #expect(!site.exists("public"), "serve never writes public/")
    }

    @Test func aSavedFileSendsAReloadEventAndAFailureShowsTheDiagnostics() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        let server = try Server(site: site)
        defer { server.stop() }
        try server.waitUntilListening()
        let events = try Connection(port: server.port)
        events.send("GET /__lanmu/events HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\n\r\n")
        #expect(events.read(until: "retry: 1000").contains("text/event-stream"))

        try site.write(TestSite.article("新的标题", date: "2025-03-02 09:00"), to: "content/sanfuwu/shixian/a02.md")
        #expect(events.read(until: "event: reload").contains("event: reload"))
        #expect(try Connection(port: server.port).request("/sanfuwu/shixian/a02/").contains("新的标题"))

        try site.write("---\ntitle: 坏\n", to: "content/sanfuwu/shixian/a02.md")
        let failed = events.read(until: "E003")
        #expect(failed.contains("event: failed"))
        #expect(failed.contains("a02.md:1:1: 错误 E003"))
        #expect(try Connection(port: server.port).request("/sanfuwu/shixian/a02/").contains("新的标题"), "last good site")

        try site.write(TestSite.article("修好了", date: "2025-03-02 09:00"), to: "content/sanfuwu/shixian/a02.md")
        #expect(events.read(until: "event: reload").contains("event: reload"))
        #expect(server.waitForLog("个有变化，用时"))
    }

    /// A warning is printed when it appears, not again after every save; a new one is printed when it comes.
    @Test func eachWarningIsPrintedOnceWhenItAppears() throws {
        var files = TestSite.column(articles: 3)
        files["content/sanfuwu/shixian/a01.md"] = TestSite.article("文章1", date: "2025-03-01 09:00", body: "<b>粗</b>")
        let site = try TestSite(files)
        let server = try Server(site: site)
        defer { server.stop() }
        try server.waitUntilListening()
        let warning = "content/sanfuwu/shixian/a01.md:6:1: 警告 W002"
        #expect(server.log.components(separatedBy: warning).count == 2, "\(server.log)")

        try site.write(
            TestSite.article("文章2", date: "2025-03-02 09:00", body: "改了。"), to: "content/sanfuwu/shixian/a02.md")
        #expect(server.waitForLog("（另有 2 个问题与上次相同，不再重复显示）"), "\(server.log)")
        #expect(server.log.components(separatedBy: warning).count == 2, "printed once: \(server.log)")

        try site.write(
            TestSite.article("文章3", date: "2025-03-03 09:00", body: "<i>斜</i>"), to: "content/sanfuwu/shixian/a03.md")
        #expect(server.waitForLog("content/sanfuwu/shixian/a03.md:6:1: 警告 W002"), "\(server.log)")
        #expect(server.log.components(separatedBy: warning).count == 2, "\(server.log)")
    }

    /// Editors' scratch, swap and backup files come and go while an article is saved (vim's `4913` and swap file,
    /// GNU `sed -i`'s `sedXXXXXX`, Emacs' `.#` lock, `~` backups): they are no change to the site, so the preview
    /// neither rebuilds for them nor names them; the saved article is named.
    @Test func editorsScratchFilesAreNotChanges() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        let server = try Server(site: site)
        defer { server.stop() }
        try server.waitUntilListening()
        let scratch = ["4913", "sedbkyeQF", ".tmp-x", ".a02.md.swp", "a02.md~", ".#a02.md", "a02.tmp"]
        for name in scratch { try site.write("x", to: "content/sanfuwu/shixian/\(name)") }
        try site.remove("content/sanfuwu/shixian/4913")
        Thread.sleep(forTimeInterval: 1)  // the watcher's batch of scratch files alone goes by
        try site.write(TestSite.article("新的标题", date: "2025-03-02 09:00"), to: "content/sanfuwu/shixian/a02.md")
        #expect(server.waitForLog("content/sanfuwu/shixian/a02.md：重新生成"), "\(server.log)")
        let log = server.log
        for name in scratch { #expect(!log.contains(name), "\(log)") }
        #expect(log.components(separatedBy: "重新生成").count == 3, "the first build and the article's: \(log)")
        #expect(try Connection(port: server.port).request("/sanfuwu/shixian/a02/").contains("新的标题"))
        #expect(
            try Connection(port: server.port).request("/sanfuwu/shixian/sedbkyeQF").hasPrefix("HTTP/1.1 404"),
            "never a page or a copied file")
    }

    @Test func aRunawayRenderIsReportedWhileTheServerKeepsAnswering() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let server = try Server(site: site, environment: ["LANMU_RENDER_TIME_LIMIT": "0.2"])
        defer { server.stop() }
        try server.waitUntilListening()
        let events = try Connection(port: server.port)
        events.send("GET /__lanmu/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        _ = events.read(until: "retry: 1000")
        try site.write(CommandLineTests.pathologicalArticle, to: "content/sanfuwu/shixian/bingtai.md")
        #expect(events.read(until: "E020").contains("bingtai.md:1:1: 错误 E020"))
        #expect(try Connection(port: server.port).request("/sanfuwu/shixian/a01/").hasPrefix("HTTP/1.1 200 OK"))
        #expect(server.waitForLog("服务器继续提供上一次成功的结果"))
    }

    @Test func sigtermStopsTheServerWithLiveReloadConnectionsOpen() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let server = try Server(site: site)
        try server.waitUntilListening()
        let events = try Connection(port: server.port)
        events.send("GET /__lanmu/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        _ = events.read(until: "retry: 1000")
        let started = Date()
        server.process.terminate()
        server.process.waitUntilExit()
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(server.process.terminationStatus == 0)
    }

    /// Each closed live-reload connection stayed in CLOSE_WAIT with its stream until the next rebuild (about 15 KB
    /// each, 2,000 connects and closes +30 MB). Now the server closes it when the page does: its descriptors come
    /// back and its memory stays where it was.
    @Test func closedLiveReloadConnectionsAreGivenBack() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let server = try Server(site: site)
        defer { server.stop() }
        try server.waitUntilListening()
        func connectAndClose(_ times: Int) throws {
            for _ in 0..<times {
                let events = try Connection(port: server.port)
                events.send("GET /__lanmu/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                #expect(events.read(until: "retry: 1000").contains("retry: 1000"))
            }
        }
        try connectAndClose(200)  // the server's pools and caches warm up
        #expect(server.waitForDescriptors(atMost: server.descriptors))
        Thread.sleep(forTimeInterval: 0.5)
        let (descriptors, memory) = (server.descriptors, server.residentKB)
        try connectAndClose(2000)
        #expect(server.waitForDescriptors(atMost: descriptors + 2), "\(server.descriptors) open, \(descriptors) before")
        #expect(server.residentKB - memory < 8_000, "\(memory) kB before, \(server.residentKB) kB after")
        // A page still open gets its reload.
        let open = try Connection(port: server.port)
        open.send("GET /__lanmu/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        _ = open.read(until: "retry: 1000")
        try site.write(TestSite.article("改过", date: "2025-03-01 09:00"), to: "content/sanfuwu/shixian/a01.md")
        #expect(open.read(until: "event: reload").contains("event: reload"))
    }

    /// Connections opened and left idle were never closed (20,000 held open): after the idle time, a connection
    /// with no request in progress is closed; a live-reload stream stays.
    @Test func idleConnectionsAreClosedAndLiveReloadStays() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let server = try Server(site: site, environment: ["LANMU_PREVIEW_IDLE_TIMEOUT": "1"])
        defer { server.stop() }
        try server.waitUntilListening()
        let events = try Connection(port: server.port)
        events.send("GET /__lanmu/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        _ = events.read(until: "retry: 1000")
        let before = server.descriptors
        let silent = try (0..<50).map { _ in try Connection(port: server.port) }
        let halfSent = try Connection(port: server.port)
        halfSent.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        let keptAlive = try Connection(port: server.port)
        keptAlive.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(keptAlive.read(until: "</html>").hasPrefix("HTTP/1.1 200"))
        #expect(server.descriptors >= before + 50)
        #expect(keptAlive.isClosedByServer(within: 4))
        #expect(halfSent.isClosedByServer(within: 4))
        for connection in silent { #expect(connection.isClosedByServer(within: 4)) }
        #expect(server.waitForDescriptors(atMost: before + 2), "\(server.descriptors) open, \(before) before")
        try site.write(TestSite.article("改过", date: "2025-03-01 09:00"), to: "content/sanfuwu/shixian/a01.md")
        #expect(events.read(until: "event: reload").contains("event: reload"), "the live-reload stream was kept")
    }

    /// The counter kept every id any page sent (5,000 ids of 50 KB: 35 → 280 MB): ids that are no article's are not
    /// counted, and the server's memory stays where it was.
    @Test func unknownCounterIdsCostNoMemory() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let server = try Server(site: site)
        defer { server.stop() }
        try server.waitUntilListening()
        func ask(_ id: String) throws -> String {
            try Connection(port: server.port).request("/__lanmu/counter?id=\(id)")
        }
        for round in 0..<50 { _ = try ask("warm\(round)") }
        let memory = server.residentKB
        let filler = String(repeating: "x", count: 30_000)
        for round in 0..<1000 {
            #expect(Self.status(of: try ask("\(round)\(filler)")) == 404)
        }
        #expect(server.residentKB - memory < 8_000, "\(memory) kB before, \(server.residentKB) kB after")
        #expect(try ask("sanfuwu%2Fshixian%2Fa01").hasSuffix("{\"count\": 1}"))
    }

    /// `git checkout`, `rsync --delete` or a restore replace content/ (or templates/) with a new folder: the
    /// preview watched the deleted one and served the old site for good. It follows the new folder.
    @Test func theWatcherFollowsARecreatedContentAndTemplatesFolder() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let server = try Server(site: site)
        defer { server.stop() }
        try server.waitUntilListening()
        let events = try Connection(port: server.port)
        events.send("GET /__lanmu/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        _ = events.read(until: "retry: 1000")
        for (round, folder) in ["content", "templates", "content"].enumerated() {
            let saved = testScratch.appendingPathComponent("saved-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: site.root.appendingPathComponent(folder), to: saved)
            try site.remove(folder)
            _ = events.read(until: "event: failed", seconds: 3)
            try FileManager.default.moveItem(at: saved, to: site.root.appendingPathComponent(folder))
            #expect(events.read(until: "event: reload").contains("event: reload"), "round \(round)")
            // Later edits in the new folder are seen too.
            if folder == "content" {
                try site.write(
                    TestSite.article("新标题\(round)", date: "2025-03-01 09:00"), to: "content/sanfuwu/shixian/a01.md")
                #expect(events.read(until: "event: reload").contains("event: reload"), "round \(round)")
                #expect(try Connection(port: server.port).request("/sanfuwu/shixian/a01/").contains("新标题\(round)"))
            } else {
                let base = try site.read("templates/base.mustache")
                try site.write(
                    base.replacingOccurrences(of: "</body>", with: "<p>模板改过</p></body>"), to: "templates/base.mustache")
                #expect(events.read(until: "event: reload").contains("event: reload"), "round \(round)")
                #expect(try Connection(port: server.port).request("/").contains("模板改过"))
            }
        }
    }

    @Test func aPortInUseIsAClearErrorWithStatusTwo() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let first = try Server(site: site)
        defer { first.stop() }
        try first.waitUntilListening()
        let second = try Server(site: site, arguments: ["--port", String(first.port)])
        second.process.waitUntilExit()
        #expect(second.process.terminationStatus == 2)
        #expect(second.waitForLog("错误：端口 \(first.port) 已被占用"), "\(second.log)")
    }
}
