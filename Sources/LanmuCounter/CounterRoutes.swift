import Crypto
import Foundation

/// One request as the routes see it.
struct CounterRequest: Sendable {
    var method: String
    /// The request target: path and query, still percent-encoded.
    var target: String
    /// Header fields by lower-case name.
    var headers: [String: String]
    /// The socket peer's address (nil when unknown).
    var peer: String?
}

/// One answer.
struct CounterResponse: Sendable, Equatable {
    var status: Int
    var headers: [(String, String)]
    var body: String

    static func == (left: CounterResponse, right: CounterResponse) -> Bool {
        left.status == right.status && left.body == right.body
            && left.headers.map { "\($0.0): \($0.1)" } == right.headers.map { "\($0.0): \($0.1)" }
    }
}

/// The counter's HTTP API, apart from the socket: `POST /api/hits/{id}`, `GET /api/hits?ids=…`, `GET /healthz`.
struct CounterRoutes: Sendable {
    static let hitsPath = "/api/hits"
    /// Longest id accepted, in bytes of its percent-encoded form.
    static let maximumIDLength = 512
    /// Most ids in one `GET /api/hits?ids=…`.
    static let maximumIDsPerRead = 100
    /// Largest request body, in bytes.
    static let maximumBodySize = 1024

    let store: any CounterStore
    let manifest: ArticleManifest
    let trustedProxies: Set<String>
    let allowedOrigin: String?
    let limiter: RateLimiter
    let day: VisitorDay
    let salts = SaltCache()

    init(
        store: any CounterStore, manifest: ArticleManifest, trustedProxies: Set<String> = [],
        allowedOrigin: String? = nil, rateLimit: Int = 0, day: VisitorDay = VisitorDay()
    ) {
        self.store = store
        self.manifest = manifest
        self.trustedProxies = trustedProxies
        self.allowedOrigin = allowedOrigin
        self.limiter = RateLimiter(limit: rateLimit, now: day.now)
        self.day = day
    }

    func respond(to request: CounterRequest) async -> CounterResponse {
        let (path, query) = Self.split(request.target)
        if path == "/healthz" {
            guard request.method == "GET" || request.method == "HEAD" else { return answer(405, "", request) }
            return await store.isHealthy() ? answer(200, "ok\n", request, json: false) : answer(503, "", request)
        }
        guard path == Self.hitsPath || path.hasPrefix(Self.hitsPath + "/") else {
            return answer(404, #"{"error":"not found"}"#, request)
        }
        let client = clientAddress(of: request)
        guard limiter.allows(client) else { return answer(429, #"{"error":"too many requests"}"#, request) }
        if request.method == "OPTIONS" {
            guard allowedOrigin != nil else { return answer(405, #"{"error":"method not allowed"}"#, request) }
            var response = answer(204, "", request)
            response.headers.append(("Access-Control-Allow-Methods", "GET, POST"))
            response.headers.append(("Access-Control-Max-Age", "86400"))
            return response
        }
        if path == Self.hitsPath {
            guard request.method == "GET" || request.method == "HEAD" else {
                return answer(405, #"{"error":"method not allowed"}"#, request)
            }
            return await read(query: query, request)
        }
        guard request.method == "POST" else { return answer(405, #"{"error":"method not allowed"}"#, request) }
        guard query == nil, let id = Self.id(fromEncoded: path.dropFirst(Self.hitsPath.count + 1)) else {
            return answer(400, #"{"error":"malformed id"}"#, request)
        }
        guard manifest.contains(id) else { return answer(404, #"{"error":"unknown id"}"#, request) }
        do {
            let today = day.today
            let salt = try await salts.salt(for: today, from: store)
            let visitor = Self.visitor(salt: salt, address: client, userAgent: request.headers["user-agent"] ?? "")
            let hits = try await store.hit(id, visitor: visitor, day: today)
            return answer(200, #"{"id":"# + Self.jsonString(id) + #","hits":\#(hits)}"#, request)
        } catch {
            return answer(503, #"{"error":"unavailable"}"#, request)
        }
    }

    private func read(query: Substring?, _ request: CounterRequest) async -> CounterResponse {
        guard let query else { return answer(400, #"{"error":"ids missing"}"#, request) }
        var list: Substring?
        for pair in Self.pieces(of: query, separatedBy: UInt8(ascii: "&")) where pair.hasPrefix("ids=") {
            list = pair.dropFirst(4)
        }
        guard let list, !list.isEmpty else { return answer(400, #"{"error":"ids missing"}"#, request) }
        let encoded = Self.pieces(of: list, separatedBy: UInt8(ascii: ","))
        guard encoded.count <= Self.maximumIDsPerRead else {
            return answer(400, #"{"error":"at most 100 ids"}"#, request)
        }
        var ids: [String] = []
        ids.reserveCapacity(encoded.count)
        for item in encoded {
            // `,` may also come percent-encoded; ids never contain one.
            guard let id = Self.id(fromEncoded: item) else { return answer(400, #"{"error":"malformed id"}"#, request) }
            ids.append(id)
        }
        let known = manifest.known(ids)
        do {
            let counts = try await store.counts(of: known)
            var body = "{"
            body.reserveCapacity(known.reduce(2) { $0 + $1.utf8.count + 24 })
            var written = Set<String>(minimumCapacity: known.count)
            for id in known where written.insert(id).inserted {
                if written.count > 1 { body += "," }
                Self.appendJSONString(id, to: &body)
                body += ":"
                body += String(counts[id] ?? 0)
            }
            body += "}"
            return answer(200, body, request)
        } catch {
            return answer(503, #"{"error":"unavailable"}"#, request)
        }
    }

    /// The client's address: the socket peer, or, when the peer is a trusted proxy, the last address of
    /// `X-Forwarded-For` that is not itself a trusted proxy.
    func clientAddress(of request: CounterRequest) -> String {
        let peer = request.peer ?? ""
        guard trustedProxies.contains(peer), let forwarded = request.headers["x-forwarded-for"] else { return peer }
        // Right to left: the last hop not a trusted proxy (a single address, nginx's `$remote_addr`, is the
        // usual case and needs no list).
        for hop in Self.pieces(of: forwarded[...], separatedBy: UInt8(ascii: ",")).reversed() {
            let address = hop.trimmingCharacters(in: .whitespaces)
            if !address.isEmpty && !trustedProxies.contains(address) { return address }
        }
        return peer
    }

    private func answer(_ status: Int, _ body: String, _ request: CounterRequest, json: Bool = true) -> CounterResponse
    {
        var headers: [(String, String)] = [
            ("Content-Type", json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8"),
            ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"),
        ]
        if let allowedOrigin, request.headers["origin"] == allowedOrigin {
            headers.append(("Access-Control-Allow-Origin", allowedOrigin))
            headers.append(("Vary", "Origin"))
        }
        return CounterResponse(status: status, headers: headers, body: request.method == "HEAD" ? "" : body)
    }

    static func split(_ target: String) -> (path: Substring, query: Substring?) {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target[...], nil) }
        return (target[..<mark], target[target.index(after: mark)...])
    }

    /// hash(day's salt, address, User-Agent), the first 16 bytes of SHA-256: the same for one visitor all day, and
    /// of no use once the salt is gone.
    static func visitor(salt: [UInt8], address: String, userAgent: String) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: salt)
        var address = address
        address.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hasher.update(data: [0])
        var userAgent = userAgent
        userAgent.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return Array(hasher.finalize().prefix(16))
    }
}

/// Today's salt, asked of the store once per day.
final class SaltCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: (day: Int, salt: [UInt8])?

    func salt(for day: Int, from store: any CounterStore) async throws -> [UInt8] {
        if let cached = lock.withLock({ cached }), cached.day == day { return cached.salt }
        let salt = try await store.salt(for: day)
        lock.withLock { cached = (day, salt) }
        return salt
    }
}
