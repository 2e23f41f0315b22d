import Foundation
import LanmuCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The HTTP and HTTPS client of `lanmu audit --external`, on SwiftNIO and BoringSSL (swift-nio-ssl), so that lanmu
/// links no libcurl: one connection per request, the answer's status line read and the connection closed at once (no
/// body is read), redirects followed.
public struct StatusClient: LinkRequester {
    /// Redirects followed before giving up.
    var maximumRedirects = 10
    private let group: any EventLoopGroup
    /// Certificates checked against the system's authorities (ca-certificates); nil when BoringSSL could not be set up.
    private let tls: NIOSSLContext?

    /// A client on NIO's shared event loops that trusts the system's certificate authorities.
    public init() { self.init(trusting: []) }

    /// A client that trusts `certificates` besides the system's authorities (tests' own servers).
    init(trusting certificates: [NIOSSLCertificate]) {
        group = MultiThreadedEventLoopGroup.singleton
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !certificates.isEmpty { configuration.additionalTrustRoots = [.certificates(certificates)] }
        // Only fails when BoringSSL cannot be set up at all; every HTTPS request then says so.
        tls = try? NIOSSLContext(configuration: configuration)
    }

    public func status(
        of url: URL, method: String, headers: [(name: String, value: String)], timeout: TimeInterval
    ) -> LinkAnswer {
        var url = url
        var method = method
        for _ in 0...maximumRedirects {
            let head: HTTPResponseHead
            do {
                head = try responseHead(url: url, method: method, headers: headers, timeout: timeout).wait()
            } catch {
                return .failed(Self.describe(error))
            }
            let status = Int(head.status.code)
            guard [301, 302, 303, 307, 308].contains(status), let location = head.headers.first(name: "location"),
                let next = URL(string: location, relativeTo: url)?.absoluteURL
            else { return .status(status) }
            if status == 303, method != "HEAD" { method = "GET" }
            url = next
        }
        return .failed("重定向次数太多")
    }

    /// Connects, sends the request, and completes with the answer's head; fails after `timeout` seconds.
    private func responseHead(
        url: URL, method: String, headers: [(name: String, value: String)], timeout: TimeInterval
    ) -> EventLoopFuture<HTTPResponseHead> {
        let eventLoop = group.next()
        guard let target = Target(url) else { return eventLoop.makeFailedFuture(Problem("网址写法不对")) }
        let tls = tls
        if target.secure, tls == nil { return eventLoop.makeFailedFuture(Problem("HTTPS 证书或加密连接有问题")) }
        var request = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: target.path)
        request.headers.add(name: "Host", value: target.hostHeader)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Accept", value: "*/*")
        request.headers.add(name: "Connection", value: "close")

        let promise = eventLoop.makePromise(of: HTTPResponseHead.self)
        let limit = TimeAmount.milliseconds(Int64(timeout * 1_000))
        let deadline = eventLoop.scheduleTask(in: limit) { promise.fail(Problem("超时")) }
        let connection = ClientBootstrap(group: eventLoop)
            .connectTimeout(limit)
            .channelInitializer { [request] channel in
                do {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls, target.secure {
                        // Names only: a certificate is checked against an IP address without SNI.
                        let name = target.isIPAddress ? nil : target.host
                        try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: name))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(ResponseHeadHandler(request: request, promise: promise))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .connect(host: target.host, port: target.port)
        connection.whenComplete { result in
            switch result {
            case .success(let channel): promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
            case .failure(let error): promise.fail(error)
            }
        }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        return promise.futureResult
    }

    /// Why there was no answer, in Chinese.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let problem as Problem: problem.text
        case ChannelError.connectTimeout: "超时"
        case let error as NIOConnectionError: error.connectionErrors.isEmpty ? "找不到这个域名" : "连不上服务器"
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError: "HTTPS 证书或加密连接有问题"
        case is HTTPParserError: "服务器的回应无法识别"
        case is IOError, ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed: "连接被断开"
        default: "无法访问（\(error)）"
        }
    }

    /// A failure described in Chinese already.
    struct Problem: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    /// Where a URL's request goes: host, port, and the path with its query.
    struct Target: Sendable {
        let secure: Bool
        let host: String
        let port: Int
        let path: String

        init?(_ url: URL) {
            guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
                var host = components.host, !host.isEmpty
            else { return nil }
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            secure = scheme == "https"
            self.host = host
            port = components.port ?? (secure ? 443 : 80)
            let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
            path = (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath) + query
        }

        /// Whether the host is an IPv4 or IPv6 address rather than a name.
        var isIPAddress: Bool {
            // Throws exactly when the text is not an address.
            (try? SocketAddress(ipAddress: host, port: port)) != nil
        }

        /// The Host header: the port only when it is not the scheme's own; an IPv6 address in brackets.
        var hostHeader: String {
            let name = host.contains(":") ? "[\(host)]" : host
            return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
        }
    }
}

/// Sends the request once the connection is up and completes the promise with the answer's head (informational
/// 1xx heads skipped), or with why the connection ended without one.
private final class ResponseHeadHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let request: HTTPRequestHead
    private let promise: EventLoopPromise<HTTPResponseHead>

    init(request: HTTPRequestHead, promise: EventLoopPromise<HTTPResponseHead>) {
        self.request = request
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data), head.status.code >= 200 else { return }
        promise.succeed(head)
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.eof)
        context.fireChannelInactive()
    }
}
