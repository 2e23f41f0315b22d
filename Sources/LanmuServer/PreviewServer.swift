import Foundation
import HTTPTypes
import Hummingbird
import LanmuCore
import Logging
import NIOCore
import ServiceLifecycle

/// `lanmu serve`: builds the site into memory, serves it on loopback, rebuilds when files are saved and tells
/// open pages to reload over Server-Sent Events.
public struct PreviewServer: Sendable {
    /// What to serve and where.
    public struct Configuration: Sendable {
        public var options: BuildOptions
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 8000
        /// How long the watcher waits for quiet after a change before rebuilding.
        public var quiet: Duration = .milliseconds(15)

        /// Creates a configuration for a site.
        public init(options: BuildOptions) {
            self.options = options
        }
    }

    /// Why the server could not start.
    public enum StartError: Error, CustomStringConvertible {
        case portInUse(host: String, port: Int)

        public var description: String {
            switch self {
            case .portInUse(let host, let port):
                "端口 \(port) 已被占用（\(host)）：请关闭占用它的程序，或用 --port 换一个端口，例如 --port \(port == 8000 ? 8001 : 8000)"
            }
        }
    }

    let configuration: Configuration
    let log: @Sendable (String) -> Void

    /// Creates a server; `log` receives the start-up line and one line per rebuild.
    public init(configuration: Configuration, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.log = log
    }

    /// Runs until SIGINT or SIGTERM (or until the task is cancelled).
    /// - Parameter onStarted: called with the bound port once the server listens.
    /// - Throws: `StartError.portInUse` when the port is taken.
    public func run(onStarted: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let configuration = configuration
        let log = log
        let state = PreviewState()
        let hub = LiveReloadHub()
        var options = configuration.options
        // A render that runs away cannot be interrupted; the server says so and keeps serving the last good site.
        options.onRenderTimeout = { diagnostic in
            log(diagnostic.description + "\n    （服务器继续提供上一次成功的结果）")
            hub.broadcast(LiveReloadHub.failedEvent([diagnostic.description]))
        }
        let site = LiveSite(options: options)
        let first = site.rebuild(now: Date())
        report(first, changes: nil, state: state, hub: hub)

        let extraHosts: Set<String> = [PreviewRoutes.hostName(configuration.host)]
        let routes = PreviewRoutes(site: site, state: state, counter: ViewCounter(), extraHosts: extraHosts)
        var logger = Logger(label: "lanmu.serve")
        logger.logLevel = .critical
        let app = Application(
            responder: PreviewResponder(routes: routes, hub: hub, state: state),
            // A connection with no request in progress is closed after a while (each one held open costs memory);
            // a live-reload stream is a request in progress and stays.
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [HangUpWatcher()], idleTimeout: .nanoseconds(Self.idleTimeout))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "lanmu"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let shown = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
                log("预览地址：http://\(shown):\(port)/　（按 Ctrl+C 停止）")
                onStarted(port)
            },
            logger: logger)

        let watcher = FileWatcher(
            roots: [configuration.options.contentDirectory, configuration.options.templatesDirectory],
            quiet: configuration.quiet)
        let roots = [configuration.options.contentDirectory, configuration.options.templatesDirectory].map {
            $0.standardizedFileURL.path
        }
        let rebuilds = RebuildService(site: site, watcher: watcher, roots: roots) { summary, changes in
            self.report(summary, changes: changes, state: state, hub: hub)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app), .init(service: rebuilds),
                    .init(service: ShutdownService { hub.closeAll() }),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw StartError.portInUse(host: configuration.host, port: configuration.port)
        } catch {
            if "\(error)".contains("Address already in use") {
                throw StartError.portInUse(host: configuration.host, port: configuration.port)
            }
            throw error
        }
    }

    /// How long a connection may sit with no request in progress before it is closed, in nanoseconds: 60 s, or
    /// `LANMU_PREVIEW_IDLE_TIMEOUT` seconds.
    static let idleTimeout: Int64 = {
        let seconds = ProcessInfo.processInfo.environment["LANMU_PREVIEW_IDLE_TIMEOUT"].flatMap(Double.init) ?? 60
        return Int64(max(seconds, 0.01) * 1_000_000_000)
    }()

    private func report(_ summary: RebuildSummary, changes: [String]?, state: PreviewState, hub: LiveReloadHub) {
        let root = configuration.options.siteRoot.path + "/"
        let what = (changes ?? []).map { $0.hasPrefix(root) ? String($0.dropFirst(root.count)) : $0 }
        let changed = Array(Set(what)).sorted()
        let cause =
            changes == nil
            ? "首次生成"
            : changed.isEmpty
                ? "文件有变化"
                : changed.prefix(3).joined(separator: "、")
                    + (changed.count > 3 ? " 等 \(changed.count) 个文件" : "")
        let milliseconds = String(format: "%.0f", summary.milliseconds)
        let lines = summary.diagnostics.map(\.description)
        // The browser first, the terminal after.
        if summary.succeeded {
            state.record(failure: nil)
            if changes != nil { hub.broadcast(LiveReloadHub.reloadEvent(changed: summary.changedPaths.count)) }
        } else {
            state.record(failure: lines)
            hub.broadcast(LiveReloadHub.failedEvent(lines))
        }
        // Each problem is printed once, when it appears; errors are printed again while they stop the build.
        let fresh = Set(state.unreported(lines))
        let shown = zip(summary.diagnostics, lines).filter { fresh.contains($1) || $0.severity == .error }.map(\.1)
        if !shown.isEmpty { log(shown.joined(separator: "\n")) }
        let repeated =
            lines.count > shown.count ? "（另有 \(lines.count - shown.count) 个问题与上次相同，不再重复显示）" : ""
        if summary.succeeded {
            log(
                "\(cause)：重新生成 \(summary.rendered) 个文件，\(summary.changedPaths.count) 个有变化，用时 \(milliseconds) 毫秒\(repeated)"
            )
        } else {
            log("\(cause)：生成失败（\(lines.count) 个问题），继续显示上一次成功的结果；用时 \(milliseconds) 毫秒\(repeated)")
        }
    }
}

/// Rebuilds after each batch of changes, one rebuild at a time.
struct RebuildService: Service {
    let site: LiveSite
    let watcher: FileWatcher
    /// The watched folders, as the watcher reports paths below them.
    let roots: [String]
    let report: @Sendable (RebuildSummary, [String]) -> Void

    func run() async throws {
        let batches = watcher.batches()
        await withGracefulShutdownHandler {
            for await batch in batches.cancelOnGracefulShutdown() {
                // Editors' scratch, swap and backup files are no change to the site: a batch of only those is
                // passed over, and they are not named as changes.
                let changes = batch.filter { !IgnoredFiles.contains($0, below: roots) }
                if changes.isEmpty, !batch.isEmpty { continue }
                // Polling reports no paths: then every file is looked at.
                report(site.rebuild(now: Date(), changedPaths: changes.isEmpty ? nil : changes), changes)
            }
        } onGracefulShutdown: {
            watcher.stop()
        }
        watcher.stop()
    }
}

/// Runs an action when the service group starts shutting down: ends the live-reload streams, so that the
/// HTTP server's graceful shutdown does not wait for them.
struct ShutdownService: Service {
    let action: @Sendable () -> Void

    func run() async throws {
        try? await gracefulShutdown()
        action()
    }
}

/// Hummingbird's basic request context and the connection the request came on (to watch it close).
struct PreviewContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Closes a connection whose page went away while a live-reload stream runs on it. The server lets a client
/// half-close (send its end and still read the answer), so a closed tab's connection sat in CLOSE_WAIT, its
/// stream and buffers held, until the next rebuild tried to write to it.
final class HangUpWatcher: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = NIOAny

    private var context: ChannelHandlerContext?
    private var hungUp = false
    private var streaming = false

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            hungUp = true
            if streaming {
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// A live-reload stream started on this connection: from now on its client's end closes it. On the channel's
    /// event loop.
    func streamStarted() {
        streaming = true
        if hungUp { context?.close(promise: nil) }
    }
}

/// Adapts Hummingbird's requests and responses to the preview's routes.
struct PreviewResponder: HTTPResponder {
    typealias Context = PreviewContext
    let routes: PreviewRoutes
    let hub: LiveReloadHub
    let state: PreviewState

    func respond(to request: Request, context: Context) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        if let authority = request.head.authority { headers["host"] = authority }
        let preview = routes.respond(
            to: PreviewRequest(method: request.method.rawValue, target: request.head.path ?? "/", headers: headers))
        var fields = HTTPFields()
        for (name, value) in preview.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        let status = HTTPResponse.Status(code: preview.status)
        switch preview.body {
        case .bytes(let bytes):
            return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .events:
            let hub = hub
            let failure = state.currentFailure
            let channel = context.channel
            return Response(
                status: status, headers: fields,
                body: ResponseBody { writer in
                    let (identifier, stream) = hub.subscribe(failure: failure)
                    defer { hub.unsubscribe(identifier) }
                    // The stream ends when the connection closes, not at the next event that fails to be written.
                    channel.closeFuture.whenComplete { _ in hub.unsubscribe(identifier) }
                    if let watcher = try? await channel.pipeline.handler(type: HangUpWatcher.self).get() {
                        channel.eventLoop.execute { watcher.streamStarted() }
                    }
                    for await event in stream { try await writer.write(ByteBuffer(string: event)) }
                    try await writer.finish(nil)
                })
        }
    }
}
