import Foundation

/// Checks links to other sites over HTTP for `lanmu audit --external`: HEAD first, GET (of the first bytes only)
/// when HEAD is refused or fails; redirects followed. Politely: a few requests at once, at most `perHost` to one
/// host, a User-Agent that says who asks, and a timeout for each request. The requests themselves go through a
/// `LinkRequester` (LanmuHTTPClient's `StatusClient`), so that the core stays free of networking code.
public struct ExternalLinks: Sendable {
    /// Sends each request.
    var requester: any LinkRequester
    /// Requests under way at once.
    var concurrency = 8
    /// Requests under way at once to one host.
    var perHost = 2
    /// Seconds a request may wait for an answer.
    var timeout: TimeInterval
    /// When set, links to other hosts are not asked at all (tests keep to servers on this machine).
    var onlyHosts: Set<String>?

    /// Checks with `requester`, each request given `timeout` seconds.
    /// - Parameter onlyHosts: when set, links to other hosts are not asked at all (tests keep to this machine).
    public init(requester: any LinkRequester, timeout: TimeInterval = 10, onlyHosts: Set<String>? = nil) {
        self.requester = requester
        self.timeout = timeout
        self.onlyHosts = onlyHosts
    }

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
        return Parallel.map(links, threads: concurrency) { link in
            guard let url = URL(string: link), let host = url.host else {
                return Outcome(url: link, status: nil, problem: "网址写法不对")
            }
            if let onlyHosts, !onlyHosts.contains(host) { return nil }
            return hosts.whileHolding(host) {
                let head = request(url, link: link, method: "HEAD")
                if let status = head.status, status < 400 { return head }
                let get = request(url, link: link, method: "GET")
                return get.status == nil && head.status != nil ? head : get
            }
        }
    }

    private func request(_ url: URL, link: String, method: String) -> Outcome {
        var headers = [(name: "User-Agent", value: "Lanmu-audit/1 (website self-check)")]
        if method == "GET" { headers.append((name: "Range", value: "bytes=0-1023")) }
        switch requester.status(of: url, method: method, headers: headers, timeout: timeout) {
        case .status(let status): return Outcome(url: url.absoluteString, status: status, problem: nil)
        case .failed(let problem): return Outcome(url: url.absoluteString, status: nil, problem: problem)
        }
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
