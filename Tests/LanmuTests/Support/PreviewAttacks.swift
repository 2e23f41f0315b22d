/// The requests the preview server must refuse or answer in a particular way, shared by the in-process route
/// tests and the tests that send them as raw bytes to a running `lanmu serve`.
enum PreviewAttacks {
    /// Paths that try to leave the served root or smuggle bytes past the path check: each is answered 400.
    static let traversals = [
        "/../../etc/passwd", "/..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/etc/passwd",
        "/..\\..\\etc\\passwd", "/%5c..%5cetc", "/index.html%00.css", "/%c0%ae%c0%ae/etc/passwd", "/./index.html",
        "/sanfuwu/../../x", "/%", "/%zz", "relative", "/\u{1}",
    ]

    /// Host headers that are not this machine's preview: each is answered 403 (DNS rebinding).
    static let foreignHosts = ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""]

    /// Host headers a browser on this machine or the local network sends: each is answered 200.
    static let loopbackHosts = [
        "localhost:8000", "127.0.0.1", "[::1]:8000", "LOCALHOST", "192.168.1.20:8000", "preview.localhost",
    ]

    /// Methods other than GET and HEAD: each is answered 405 with `Allow: GET, HEAD`.
    static let refusedMethods = ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"]

    /// Origins of other sites asking for the live-reload stream: each is answered 403.
    static let foreignOrigins = ["https://evil.example", "null", "http://127.0.0.1.evil.example"]

    /// Range headers and the status they get for a file of `size` bytes (multiple and malformed ranges: the whole
    /// file).
    static func ranges(size: Int) -> [(header: String, status: Int, contentRange: String?)] {
        [
            ("bytes=0-9", 206, "bytes 0-9/\(size)"),
            ("bytes=-5", 206, "bytes \(size - 5)-\(size - 1)/\(size)"),
            ("bytes=\(size - 3)-", 206, "bytes \(size - 3)-\(size - 1)/\(size)"),
            ("bytes=\(size)-", 416, "bytes */\(size)"),
            ("bytes=0-1,4-5", 200, nil),
            ("pages=1", 200, nil),
            ("bytes=9-2", 200, nil),
        ]
    }
}
