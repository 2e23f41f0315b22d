import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `lanmu counter`: the view counter's HTTP service, meant to sit behind the site's own nginx at `/api/hits/`.
public struct CounterServer: Sendable {
    /// Where to listen and whom to trust.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 8081
        /// Peers whose `X-Forwarded-For` names the client (the site's nginx).
        public var trustedProxies: Set<String> = []
        /// The one origin allowed to call from a browser on another origin (CORS); nil allows none.
        public var allowedOrigin: String?
        /// Requests per client address per minute; 0 turns the limit off.
        public var rateLimit = 600
        /// Which day a hit belongs to (its clock is injected in tests).
        public var day = VisitorDay()

        /// The defaults.
        public init() {}
    }

    let configuration: Configuration
    let store: any CounterStore
    let manifest: ArticleManifest
    let log: @Sendable (String) -> Void

    /// A server counting into `store` the articles `manifest` names; `log` receives the start-up line.
    public init(
        configuration: Configuration, store: any CounterStore, manifest: ArticleManifest,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.configuration = configuration
        self.store = store
        self.manifest = manifest
        self.log = log
    }

    /// Runs until SIGINT or SIGTERM, then closes the store (every acknowledged hit is already committed).
    /// - Parameters:
    ///   - services: more services to run beside the server (the PostgreSQL client).
    ///   - onStarted: called with the bound port once the server listens.
    public func run(services: [any Service] = [], onStarted: @escaping @Sendable (Int) -> Void = { _ in }) async throws
    {
        let configuration = configuration
        let routes = CounterRoutes(
            store: store, manifest: manifest, trustedProxies: configuration.trustedProxies,
            allowedOrigin: configuration.allowedOrigin, rateLimit: configuration.rateLimit, day: configuration.day)
        var logger = Logger(label: "lanmu.counter")
        logger.logLevel = .critical
        let log = log
        let manifest = manifest
        let app = Application(
            responder: CounterResponder(routes: routes),
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "lanmu-counter",
                backlog: 1024),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let shown = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
                log("计数服务地址：http://\(shown):\(port)/api/hits/　（文章 \(manifest.count) 篇；按 Ctrl+C 停止）")
                onStarted(port)
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) } + [.init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await store.close()
            if "\(error)".contains("Address already in use") {
                throw CounterStartError(
                    "端口 \(configuration.port) 已被占用（\(configuration.host)）：请关闭占用它的程序，或用 --port 换一个端口")
            }
            throw error
        }
        await store.close()
    }
}

/// The request context: Hummingbird's basic one plus the socket peer's address.
struct CounterRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// Adapts Hummingbird's requests and responses to the counter's routes; refuses bodies over 1 KB with 413.
struct CounterResponder: HTTPResponder {
    typealias Context = CounterRequestContext
    let routes: CounterRoutes

    func respond(to request: Request, context: Context) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > CounterRoutes.maximumBodySize {
            return Self.tooLarge
        }
        do {
            _ = try await request.body.collect(upTo: CounterRoutes.maximumBodySize)
        } catch {
            return Self.tooLarge
        }
        // Only the three fields the routes read (a browser sends a dozen more).
        var headers: [String: String] = [:]
        for name in Self.readFields {
            if let value = request.headers[name] { headers[name.canonicalName] = value }
        }
        let answer = await routes.respond(
            to: CounterRequest(
                method: request.method.rawValue, target: request.head.path ?? "/", headers: headers,
                peer: context.remoteAddress?.ipAddress))
        var fields = HTTPFields()
        fields.reserveCapacity(answer.headers.count)
        for (name, value) in answer.headers {
            if let fieldName = Self.writtenFields[name] ?? HTTPField.Name(name) {
                fields.append(HTTPField(name: fieldName, value: value))
            }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }

    /// The request fields `CounterRoutes` reads (`CounterRequest.headers`, by lower-case name).
    static let readFields: [HTTPField.Name] = [.userAgent, .origin, HTTPField.Name("X-Forwarded-For")!]

    /// The names `CounterRoutes` answers with, parsed once.
    static let writtenFields: [String: HTTPField.Name] = [
        "Content-Type": .contentType, "Cache-Control": .cacheControl, "X-Content-Type-Options": .xContentTypeOptions,
        "Access-Control-Allow-Origin": .accessControlAllowOrigin, "Vary": .vary,
        "Access-Control-Allow-Methods": .accessControlAllowMethods, "Access-Control-Max-Age": .accessControlMaxAge,
    ]

    static var tooLarge: Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.connection] = "close"
        return Response(
            status: .contentTooLarge, headers: fields,
            body: .init(byteBuffer: ByteBuffer(string: #"{"error":"too large"}"#)))
    }
}
