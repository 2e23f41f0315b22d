import Foundation

/// Sends one request of the external link check (`lanmu audit --external`) and tells how it was answered.
public protocol LinkRequester: Sendable {
    /// Sends `method` to `url` with `headers` and follows redirects.
    /// - Returns: the final answer's status code, or why there was none, in Chinese (“超时”, “找不到这个域名”, …).
    func status(of url: URL, method: String, headers: [(name: String, value: String)], timeout: TimeInterval)
        -> LinkAnswer
}

/// How a request of the external link check was answered.
public enum LinkAnswer: Sendable, Equatable {
    /// The final status code, after redirects.
    case status(Int)
    /// No answer, and why, in Chinese.
    case failed(String)
}
