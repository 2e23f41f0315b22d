import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests of outgoing checks: each path answers one way (200, a redirect,
/// 404, 500, too slowly, by closing the connection, or with something that is not HTTP). Records every request
/// line and User-Agent.
final class LoopbackHTTPServer: @unchecked Sendable {
    let port: Int
    private let socket: Int32
    private let lock = NSLock()
    private var received: [String] = []

    /// Every request as `METHOD /path User-Agent`.
    var requests: [String] { lock.withLock { received } }

    init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.socket = socket
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socket, 64) == 0 else {
            close(socket)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { close(socket) }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    private func acceptLoop() {
        while true {
            let connection = accept(socket, nil, nil)
            if connection < 0 { return }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { return }
            request += buffer[..<count]
            if request.count > 65_536 { return }
        }
        let text = String(decoding: request, as: UTF8.self)
        let words = text.split(separator: " ", maxSplits: 2)
        guard words.count >= 2 else { return }
        let method = String(words[0])
        let path = String(words[1])
        let agent =
            text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("user-agent:") }?.dropFirst(11)
            .trimmingCharacters(in: .whitespaces) ?? ""
        lock.withLock { received.append("\(method) \(path) \(agent)") }
        let (status, headers): (String, String)
        switch path.prefix { $0 != "?" } {
        case "/ok": (status, headers) = ("200 OK", "")
        case "/moved": (status, headers) = ("301 Moved Permanently", "Location: /ok\r\n")
        case "/missing": (status, headers) = ("404 Not Found", "")
        case "/error": (status, headers) = ("500 Internal Server Error", "")
        case "/no-head": (status, headers) = method == "HEAD" ? ("405 Method Not Allowed", "") : ("200 OK", "")
        case "/slow":
            Thread.sleep(forTimeInterval: 6)  // well past the tests' 2 s timeout, even on a busy machine
            (status, headers) = ("200 OK", "")
        case "/close": return
        case "/loop": (status, headers) = ("302 Found", "Location: /loop\r\n")
        case "/relative": (status, headers) = ("307 Temporary Redirect", "Location: ok\r\n")
        case "/garbage":
            _ = "SSH-2.0-OpenSSH\r\n\r\n".utf8CString.withUnsafeBufferPointer {
                write(connection, $0.baseAddress, $0.count - 1)
            }
            return
        default: (status, headers) = ("404 Not Found", "")
        }
        let body = method == "HEAD" ? "" : "body"
        let response =
            "HTTP/1.1 \(status)\r\n\(headers)Content-Length: \(method == "HEAD" ? 4 : body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n\(body)"
        _ = response.utf8CString.withUnsafeBufferPointer { write(connection, $0.baseAddress, $0.count - 1) }
    }
}
