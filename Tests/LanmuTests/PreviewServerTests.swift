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

        func request(_ target: String, host: String = "127.0.0.1", method: String = "GET") -> String {
            send("\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
            return read()
        }
    }

    @Test func servesPagesAndRefusesTraversalOverTheWire() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        let server = try Server(site: site)
        defer { server.stop() }
        try server.waitUntilListening()
        #expect(try Connection(port: server.port).request("/sanfuwu/shixian/").hasPrefix("HTTP/1.1 200 OK"))
        for target in [
            "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%252e%252e/etc/passwd",
            "/..\\..\\etc\\passwd",
        ] {
            let response = try Connection(port: server.port).request(target)
            #expect(response.hasPrefix("HTTP/1.1 400"), "\(target): \(response.prefix(40))")
            #expect(!response.contains("root:"))
        }
        #expect(try Connection(port: server.port).request("/", host: "evil.example").hasPrefix("HTTP/1.1 403"))
        #expect(try Connection(port: server.port).request("/", method: "DELETE").hasPrefix("HTTP/1.1 405"))
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
