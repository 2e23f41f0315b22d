import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Checks links to other sites over HTTP for `lanmu audit --external`: HEAD first, GET (of the first bytes only)
/// when HEAD is refused or fails; redirects followed. Politely: a few requests at once, at most `perHost` to one
/// host, a User-Agent that says who asks, and a timeout for each request.
struct ExternalLinks: Sendable {
    /// Requests under way at once.
    var concurrency = 8
    /// Requests under way at once to one host.
    var perHost = 2
    /// Seconds a request may wait for an answer.
    var timeout: TimeInterval = 10
    /// When set, links to other hosts are not asked at all (tests keep to servers on this machine).
    var onlyHosts: Set<String>?

    /// What one link answered: the final status after redirects, or why there was none.
    struct Outcome: Sendable, Equatable {
        var url: String
        var status: Int?
        var problem: String?

        /// Whether a reader following it would fail.
        var broken: Bool { status.map { $0 >= 400 } ?? true }

        /// What went wrong, in Chinese.
        var reason: String {
            if let status { return "HTTP \(status)" }
            return problem ?? "没有回应"
        }
    }

    /// Checks each link once, in parallel; outcomes in the links' order, nil for a link not asked (`onlyHosts`).
    func check(_ links: [String]) -> [Outcome?] {
        let hosts = HostGate(perHost: perHost)
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        return Parallel.map(links, threads: concurrency) { link in
            guard let url = URL(string: link), let host = url.host else {
                return Outcome(url: link, status: nil, problem: "网址写法不对")
            }
            if let onlyHosts, !onlyHosts.contains(host) { return nil }
            return hosts.whileHolding(host) {
                let head = request(url, method: "HEAD", session: session)
                if let status = head.status, status < 400 { return head }
                let get = request(url, method: "GET", session: session)
                return get.status == nil && head.status != nil ? head : get
            }
        }
    }

    private var configuration: URLSessionConfiguration {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 3
        configuration.httpAdditionalHeaders = ["User-Agent": "Lanmu-audit/1 (website self-check)"]
        configuration.httpMaximumConnectionsPerHost = perHost
        return configuration
    }

    private func request(_ url: URL, method: String, session: URLSession) -> Outcome {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        if method == "GET" { request.setValue("bytes=0-1023", forHTTPHeaderField: "Range") }
        let done = DispatchSemaphore(value: 0)
        let result = Mutable<Outcome>(Outcome(url: url.absoluteString, status: nil, problem: nil))
        let task = session.dataTask(with: request) { _, response, error in
            if let response = response as? HTTPURLResponse {
                result.value.status = response.statusCode
            } else if let error = error as? URLError {
                result.value.problem = Self.describe(error)
            } else {
                result.value.problem = error.map { "\($0.localizedDescription)" } ?? "没有回应"
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return result.value
    }

    private static func describe(_ error: URLError) -> String {
        switch error.code {
        case .timedOut: "超时"
        case .cannotFindHost, .dnsLookupFailed: "找不到这个域名"
        case .cannotConnectToHost: "连不上服务器"
        case .networkConnectionLost: "连接被断开"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            "HTTPS 证书或加密连接有问题"
        case .badServerResponse: "服务器的回应无法识别"
        case .httpTooManyRedirects: "重定向次数太多"
        default: "无法访问（\(error.code.rawValue)）"
        }
    }

    /// A value a completion handler sets for the thread that waits for it.
    private final class Mutable<Value>: @unchecked Sendable {
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    /// At most `perHost` holders of one host at a time.
    private final class HostGate: @unchecked Sendable {
        private let perHost: Int
        private let lock = NSCondition()
        private var busy: [String: Int] = [:]

        init(perHost: Int) { self.perHost = max(1, perHost) }

        func whileHolding<Result>(_ host: String, _ work: () -> Result) -> Result {
            lock.lock()
            while busy[host, default: 0] >= perHost { lock.wait() }
            busy[host, default: 0] += 1
            lock.unlock()
            defer {
                lock.lock()
                busy[host, default: 1] -= 1
                lock.broadcast()
                lock.unlock()
            }
            return work()
        }
    }
}
