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
                guard let self, !data.isEmpty else { return }
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
