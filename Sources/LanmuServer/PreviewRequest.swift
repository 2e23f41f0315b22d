/// A request as the preview's routes see it: plain values, so that the routes are tested without a socket.
public struct PreviewRequest: Sendable {
    /// `GET`, `HEAD`, …
    public var method: String
    /// The request target as sent: percent-encoded path and optional query.
    public var target: String
    /// Header fields by lower-case name.
    public var headers: [String: String]

    /// Creates a request.
    public init(method: String, target: String, headers: [String: String] = [:]) {
        self.method = method
        self.target = target
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { _, last in last }
    }
}

/// A response of the preview's routes.
public struct PreviewResponse: Sendable {
    /// What the body is.
    public enum Body: Sendable, Equatable {
        case bytes([UInt8])
        /// A Server-Sent Events stream of live-reload events.
        case events
    }

    public var status: Int
    /// Header fields in the order they are sent.
    public var headers: [(name: String, value: String)]
    public var body: Body

    /// The value of a header field, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as text (empty for an event stream).
    public var text: String {
        if case .bytes(let bytes) = body { return String(decoding: bytes, as: UTF8.self) }
        return ""
    }
}
