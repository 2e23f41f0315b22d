import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An HTTPS server on 127.0.0.1 with a self-signed certificate for 127.0.0.1 (valid until 2126) that answers every
/// request `200 OK`: for tests of the external link check over TLS.
final class LoopbackHTTPSServer {
    /// The server's certificate, to trust it in a test.
    static let certificate = try! NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)

    let port: Int
    private let channel: any Channel

    init() throws {
        let key = try NIOSSLPrivateKey(bytes: Array(Self.keyPEM.utf8), format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(Self.certificate)], privateKey: .privateKey(key))
        let context = try NIOSSLContext(configuration: configuration)
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Answer())
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = channel.localAddress?.port ?? 0
    }

    deinit { channel.close(promise: nil) }

    func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }

    private final class Answer: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            var head = HTTPResponseHead(version: .http1_1, status: .ok)
            head.headers.add(name: "Content-Length", value: "0")
            head.headers.add(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            // The client closes the connection once it has the head.
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    // Made with: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
    //   -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1
    private static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBkDCCATagAwIBAgIUKlx9eJoVsrS0VVVIyfBrEcPWThMwCgYIKoZIzj0EAwIw
        FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwNTA4NDM0MFoYDzIxMjYxMTEx
        MDg0MzQwWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAARGnPt4eoarBGXs5q4Eo8vxbrUovMy01EXLxiBxAJG0nZAbbNJr5sIm
        786K3SFK1KSILgbvdWaG0bQrKomFh9r5o2QwYjAdBgNVHQ4EFgQUaA36qhDoPBJL
        wTxMH7fyXXcvx44wHwYDVR0jBBgwFoAUaA36qhDoPBJLwTxMH7fyXXcvx44wDwYD
        VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
        IGixYOkrGXyLoWU2JYKve9O94DiuGtAucejABaNK5kMNAiEAmhxU1sKYWON7NSY1
        ZANybTtxfUASU8fC7RvO8MCYY0k=
        -----END CERTIFICATE-----
        """
    private static let keyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgtATzW8NmveNT1QCc
        AEa19pQBQgtNdxUp2PYJfuTXzv6hRANCAARGnPt4eoarBGXs5q4Eo8vxbrUovMy0
        1EXLxiBxAJG0nZAbbNJr5sIm786K3SFK1KSILgbvdWaG0bQrKomFh9r5
        -----END PRIVATE KEY-----
        """
}
