import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP relay on 127.0.0.1 to another loopback port, which a test can take down (every connection cut, new ones
/// refused) and bring back: a database server going away and returning, as its clients see it.
final class TCPRelay: @unchecked Sendable {
    let port: Int
    private let target: Int
    private let listener: Int32
    private let lock = NSLock()
    private var down = false
    private var open: Set<Int32> = []
    private var closed = false

    init(to target: Int) throws {
        self.target = target
        let listener = Self.socketBound()
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        listen(listener, 64)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    private static func socketBound() -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return socket
    }

    /// Cuts every connection and refuses new ones until `bringBack()`.
    func takeDown() {
        let sockets = lock.withLock {
            down = true
            defer { open = [] }
            return open
        }
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    func bringBack() { lock.withLock { down = false } }

    func stop() {
        lock.withLock { closed = true }
        takeDown()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let refuse = lock.withLock { down || closed }
            if refuse {
                close(client)
                continue
            }
            let server = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(target).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(client)
                close(server)
                continue
            }
            lock.withLock {
                open.insert(client)
                open.insert(server)
            }
            let back = DispatchSemaphore(value: 0)
            Thread { [self] in
                pump(from: server, to: client)
                back.signal()
            }.start()
            Thread { [self] in
                pump(from: client, to: server)
                back.wait()
                // Both directions ended: now each descriptor is closed, once.
                lock.withLock {
                    open.remove(client)
                    open.remove(server)
                }
                close(client)
                close(server)
            }.start()
        }
    }

    private func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            let sent = buffer.withUnsafeBytes { send(destination, $0.baseAddress, count, Int32(MSG_NOSIGNAL)) }
            if sent != count { break }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
    }
}
