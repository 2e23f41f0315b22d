import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real `lanmu counter` process on a loopback port: durability under kill -9, bodies, slow clients, bad files.
@Suite(.serialized) struct CounterServerTests {
    typealias Connection = PreviewServerTests.Connection

    /// A running `lanmu counter`; its log is collected from standard error.
    final class Service: @unchecked Sendable {
        let process = Process()
        let errors = Pipe()
        private let lock = NSLock()
        private var logText = ""
        /// The pipe reached its end: everything the process wrote is in `log`.
        private var logEnded = false
        private(set) var port = 0

        convenience init(arguments: [String]) throws {
            try self.init(command: [CommandLineTests.executable.path, "counter", "--port", "0"] + arguments)
        }

        /// Runs `command` (its first element the program), which starts `lanmu counter --port 0` in the end.
        init(command: [String]) throws {
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self else { return }
                guard !data.isEmpty else {
                    handle.readabilityHandler = nil
                    self.lock.withLock { self.logEnded = true }
                    return
                }
                self.lock.withLock { self.logText += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        var log: String { lock.withLock { logText } }

        func waitUntilListening() throws {
            let marker = "计数服务地址：http://127.0.0.1:"
            let deadline = Date().addingTimeInterval(30)
            while !log.contains(marker) && process.isRunning && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
            let tail = try #require(log.components(separatedBy: marker).last, "\(log)")
            port = try #require(Int(tail.prefix { $0.isNumber }), "\(log)")
        }

        /// Waits for the process to end and for its last words: the pipe's handler runs on its own queue and may
        /// not have read them yet when the process is gone.
        func waitUntilExitAndLogged() {
            process.waitUntilExit()
            let deadline = Date().addingTimeInterval(10)
            while !lock.withLock({ logEnded }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }

        func kill9() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A folder with a manifest of `count` article ids (`a0`, `a1`…).
    static func siteFolder(articles count: Int) throws -> URL {
        let folder = testScratch.appendingPathComponent("counter-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("public"), withIntermediateDirectories: true)
        let lines = (0..<count).map { "a\($0)\t/a\($0)/\n" }.joined()
        try Data(lines.utf8).write(to: folder.appendingPathComponent("public/counter-ids.txt"))
        return folder
    }

    /// One `POST /api/hits/{id}` on a connection of its own; the status, or 0 when the connection failed (no test
    /// expectation is recorded: the load threads run on while the service is killed).
    static func post(_ port: Int, _ id: String, from address: String) -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = in_port_t(UInt16(port).bigEndian)
        target.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return 0 }
        let request = Array(
            ("POST /api/hits/\(id) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: \(address)\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n").utf8)
        guard request.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count
        else {
            return 0
        }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return 0 }
        return PreviewServerTests.status(of: String(decoding: buffer[0..<count], as: UTF8.self))
    }

    static func total(_ port: Int, ids: [String]) throws -> Int {
        let response = try Connection(port: port).request("/api/hits?ids=" + ids.joined(separator: ","))
        let body = try #require(response.components(separatedBy: "\r\n\r\n").last)
        let counts = try #require(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Int], "\(body)")
        return counts.values.reduce(0, +)
    }

    /// Acknowledged hits survive `kill -9` in the middle of a load: after a restart the stored total is at least the
    /// number of 200 answers (and at most the number of requests sent).
    @Test func noAcknowledgedHitIsLostToKill9() throws {
        let site = try Self.siteFolder(articles: 10)
        let arguments = ["--site", site.path, "--trust-proxy", "127.0.0.1", "--rate-limit", "0"]
        let service = try Service(arguments: arguments)
        try service.waitUntilListening()
        let port = service.port
        let acknowledged = SharedCount()
        let sent = SharedCount()
        let stop = SharedCount()
        let threads = (0..<8).map { worker in
            Thread {
                var index = 0
                while stop.value == 0 {
                    sent.add()
                    if Self.post(port, "a\(index % 10)", from: "10.\(worker).\(index / 250).\(index % 250)") == 200 {
                        acknowledged.add()
                    }
                    index += 1
                }
                stop.add()
            }
        }
        threads.forEach { $0.start() }
        Thread.sleep(forTimeInterval: 1.5)
        service.kill9()
        stop.add()
        while stop.value < 9 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(acknowledged.value > 50, "too few answers to prove anything: \(acknowledged.value)")

        let restarted = try Service(arguments: arguments)
        defer { restarted.stop() }
        try restarted.waitUntilListening()
        let stored = try Self.total(restarted.port, ids: (0..<10).map { "a\($0)" })
        #expect(stored >= acknowledged.value)
        #expect(stored <= sent.value)
    }

    @Test func bodiesOver1KBAre413AndSlowClientsHoldNoOneUp() throws {
        let site = try Self.siteFolder(articles: 1)
        let service = try Service(arguments: ["--site", site.path])
        defer { service.stop() }
        try service.waitUntilListening()
        // A client that sends half a request and waits.
        let slow = try Connection(port: service.port)
        slow.send("POST /api/hits/a0 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc")
        let big = try Connection(port: service.port)
        let body = String(repeating: "x", count: 2000)
        big.send("POST /api/hits/a0 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000\r\n\r\n\(body)")
        #expect(PreviewServerTests.status(of: big.read(until: "\r\n\r\n")) == 413)
        let chunked = try Connection(port: service.port)
        chunked.send(
            "POST /api/hits/a0 HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n\(body)\r\n0\r\n\r\n"
        )
        #expect(PreviewServerTests.status(of: chunked.read(until: "\r\n\r\n")) == 413)
        #expect(Self.post(service.port, "a0", from: "") == 200)
        let health = try Connection(port: service.port).request("/healthz")
        #expect(PreviewServerTests.status(of: health) == 200)
        let tooLong = try Connection(port: service.port).request(
            "/api/hits/" + String(repeating: "a", count: 10 * 1024), method: "POST")
        #expect([400, 431].contains(PreviewServerTests.status(of: tooLong)))
    }

    @Test func aBadDatabaseStopsTheServiceWithAMessage() throws {
        let site = try Self.siteFolder(articles: 1)
        try Data(repeating: 0x5A, count: 4096).write(to: site.appendingPathComponent("counter.sqlite"))
        let service = try Service(arguments: ["--site", site.path])
        service.waitUntilExitAndLogged()
        #expect(service.process.terminationStatus == 1)
        #expect(service.log.contains("错误：计数数据库 \(site.path)/counter.sqlite 已损坏"), "\(service.log)")
        let missing = try Service(arguments: ["--site", testScratch.appendingPathComponent("nowhere").path])
        missing.waitUntilExitAndLogged()
        #expect(missing.process.terminationStatus == 1)
        #expect(missing.log.contains("错误：找不到文章清单"), "\(missing.log)")
    }

    /// A real full disk: a 512 KB tmpfs mounted in a mount namespace of the service's own (`unshare -m`, so nothing
    /// shows outside it and the mount ends with the process), filled through `/proc/PID/root`. Hits are answered 503
    /// while it is full and count again, from the right total, once there is room; a start on the full disk is
    /// refused with the disk-full message.
    @Test(.enabled(if: canMountSmallDisks, "needs root allowed to mount a tmpfs in a mount namespace of its own"))
    func aFullDiskAnswers503ResumesWithTheRightCountAndStopsAStart() throws {
        let site = try Self.siteFolder(articles: 1)
        let disk = site.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let ids = site.appendingPathComponent("public/counter-ids.txt").path
        let mount = #"mount -t tmpfs -o size=512k tmpfs "$0" && "#
        let counter = #""$1" counter --port 0 --ids "$2" --db "$0/counter.sqlite" --trust-proxy 127.0.0.1"#
        let arguments = [disk.path, CommandLineTests.executable.path, ids]
        let service = try Service(
            command: ["/usr/bin/unshare", "-m", "sh", "-c", mount + "exec " + counter] + arguments)
        defer { service.stop() }
        try service.waitUntilListening()
        let port = service.port
        #expect((1...3).map { Self.post(port, "a0", from: "10.0.0.\($0)") } == [200, 200, 200])

        // Fill the service's disk, seen from outside its namespace.
        let filler = "/proc/\(service.process.processIdentifier)/root\(disk.path)/filler"
        #expect(FileManager.default.createFile(atPath: filler, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        var written = 0
        do {
            while written < 1 << 20 {
                try handle.write(contentsOf: Data(repeating: 0, count: 4096))
                written += 4096
            }
        } catch {
            // ENOSPC: full.
        }
        try? handle.close()  // closing a file on a full disk may report the same error again
        #expect(written > 0 && written < 512 * 1024, "filler: \(written) bytes")
        #expect((4...8).map { Self.post(port, "a0", from: "10.0.0.\($0)") } == [503, 503, 503, 503, 503])
        #expect(PreviewServerTests.status(of: try Connection(port: port).request("/healthz")) == 200)

        try FileManager.default.removeItem(atPath: filler)
        #expect((9...10).map { Self.post(port, "a0", from: "10.0.0.\($0)") } == [200, 200])
        #expect(try Self.total(port, ids: ["a0"]) == 5)
        service.stop()

        // A database on a disk that is full when the service starts.
        let fill = #"dd if=/dev/zero of="$0/filler" bs=4k 2>/dev/null; "#
        let export = #""$1" counter export --db "$0/counter.sqlite" >/dev/null && "#
        let full = try Service(
            command: ["/usr/bin/unshare", "-m", "sh", "-c", mount + export + fill + "exec " + counter] + arguments)
        full.waitUntilExitAndLogged()
        #expect(full.process.terminationStatus == 1)
        #expect(
            full.log.contains("错误：计数数据库 \(disk.path)/counter.sqlite 所在的磁盘已满，计数无法保存，服务不启动：先腾出空间"),
            "\(full.log)")
    }

    @Test func exportAndImportOnTheCommandLine() throws {
        let site = try Self.siteFolder(articles: 3)
        let csv = site.appendingPathComponent("old.csv")
        try Data("旧网址,次数\n/a1/,40\na2,2\n".utf8).write(to: csv)
        let command = CommandLineTests()
        let imported = try command.lanmu(["counter", "import", csv.path, "--site", site.path], in: site)
        #expect(imported.status == 0, "\(imported.errors)")
        let exported = try command.lanmu(["counter", "export", "--site", site.path], in: site)
        #expect(exported.output == "id,hits\na1,40\na2,2\n")
        try Data("id,hits\nzz,1\n".utf8).write(to: csv)
        let refused = try command.lanmu(["counter", "import", csv.path, "--site", site.path], in: site)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("\(csv.path):2: 错误：“zz”不是站点里的文章 id 或文章网址"))
    }
}

extension CounterServerTests {
    /// `lanmu build` writes the manifest the counter reads, and `--counts` writes numbers into the pages.
    @Test func theBuildWritesTheManifestAndBakesCounts() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        let counts = site.root.appendingPathComponent("counts.csv")
        try Data("id,hits\nsanfuwu/shixian/a01,1234\n".utf8).write(to: counts)
        let command = CommandLineTests()
        let built = try command.lanmu(["build", "--counts", counts.path], in: site.root)
        #expect(built.status == 0, "\(built.errors)")
        #expect(
            try site.read("public/counter-ids.txt")
                == "sanfuwu/shixian/a01\t/sanfuwu/shixian/a01/\nsanfuwu/shixian/a02\t/sanfuwu/shixian/a02/\n")
        #expect(
            try site.read("public/sanfuwu/shixian/a01/index.html").contains(
                #"data-id="sanfuwu/shixian/a01">1234</span>"#))
        #expect(
            try site.read("public/sanfuwu/shixian/a02/index.html").contains(#"data-id="sanfuwu/shixian/a02">0</span>"#))
        let plain = try command.lanmu(["build"], in: site.root)
        #expect(plain.status == 0)
        #expect(
            try site.read("public/sanfuwu/shixian/a01/index.html").contains(#"data-id="sanfuwu/shixian/a01">--</span>"#)
        )
        try Data("id,hits\nsanfuwu/shixian/a01,many\n".utf8).write(to: counts)
        let refused = try command.lanmu(["build", "--counts", counts.path], in: site.root)
        #expect(refused.status == 2)
        #expect(refused.errors.contains("\(counts.path):2: 错误：要写成“文章 id,次数”：sanfuwu/shixian/a01,many"))
    }
}

extension CounterServerTests {
    /// List entries carry `id` and `hits` too, so a list or a 热点 box can show counts (read, not counted: `data-read`).
    @Test func listEntriesCarryTheirIdAndBakedCount() throws {
        var files = TestSite.column(articles: 2)
        files["templates/partials/article-item.mustache"] =
            #"<li><a href="{{url}}">{{title}}</a><span class="hits" data-id="{{id}}" data-read>"#
            + "{{#hits}}{{hits}}{{/hits}}{{^hits}}--{{/hits}}</span></li>\n"
        let site = try TestSite(files)
        let counts = site.root.appendingPathComponent("counts.csv")
        try Data("id,hits\nsanfuwu/shixian/a01,1234\n".utf8).write(to: counts)
        let command = CommandLineTests()
        let built = try command.lanmu(["build", "--counts", counts.path], in: site.root)
        #expect(built.status == 0, "\(built.errors)")
        for page in ["public/sanfuwu/shixian/index.html", "public/sanfuwu/index.html"] {
            let list = try site.read(page)
            #expect(list.contains(#"data-id="sanfuwu/shixian/a01" data-read>1234</span>"#), "\(page)")
            #expect(list.contains(#"data-id="sanfuwu/shixian/a02" data-read>0</span>"#), "\(page)")
        }
        let plain = try command.lanmu(["build"], in: site.root)
        #expect(plain.status == 0)
        #expect(
            try site.read("public/sanfuwu/shixian/index.html").contains(
                #"data-id="sanfuwu/shixian/a01" data-read>--</span>"#))
    }
}

/// A number shared by threads.
final class SharedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}

/// Whether this machine lets a test mount a small tmpfs in a mount namespace of its own (root with the right to
/// mount: a fresh Debian machine or VM, not an unprivileged container). posix_spawn and waitpid rather than Process:
/// this runs while Swift Testing evaluates a trait (see `testPostgresURL`).
let canMountSmallDisks: Bool = {
    let folder = testScratch.appendingPathComponent("mount-probe-\(UUID().uuidString)")
    guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else {
        return false
    }
    defer { try? FileManager.default.removeItem(at: folder) }
    let command = ["/usr/bin/unshare", "-m", "sh", "-c", #"mount -t tmpfs -o size=64k tmpfs "$0""#, folder.path]
    guard FileManager.default.isExecutableFile(atPath: command[0]) else { return false }
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor: Int32 in [0, 1, 2] {
        posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    let arguments: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    defer { arguments.forEach { free($0) } }
    guard posix_spawn(&pid, command[0], &actions, nil, arguments, environ) == 0 else { return false }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return status == 0
}()
