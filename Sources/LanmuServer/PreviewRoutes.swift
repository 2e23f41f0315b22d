import Foundation
import LanmuCore

/// What the preview answers to each request: pure logic over the in-memory site, with no socket in sight.
struct PreviewRoutes: Sendable {
    let site: LiveSite
    let state: PreviewState
    let counter: ViewCounter
    /// Host names (without port) besides the loopback names that may appear in `Host`: the `--host` value.
    let extraHosts: Set<String>

    static let eventsPath = "/__lanmu/events"
    static let scriptPath = "/__lanmu/live.js"
    static let counterPath = "/__lanmu/counter"
    static let auditPath = "/__lanmu/audit"
    static let scriptTag = "<script src=\"\(scriptPath)\"></script>"

    func respond(to request: PreviewRequest) -> PreviewResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return plain(405, "只支持 GET 和 HEAD 请求。\n", extra: [("Allow", "GET, HEAD")])
        }
        guard let host = request.headers["host"], isAllowed(host: host) else {
            return plain(403, "拒绝访问：Host 不是本机地址（防止 DNS 重绑定）。\n")
        }
        let outcome = RequestPath.parse(request.target)
        guard case .path(let path, let query) = outcome else { return plain(400, "请求的路径无效。\n") }
        switch "/" + path {
        case Self.eventsPath:
            if let origin = request.headers["origin"], !isAllowed(origin: origin) {
                return plain(403, "拒绝访问：Origin 不是本机地址。\n")
            }
            return PreviewResponse(
                status: 200,
                headers: [
                    ("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-cache"),
                    ("X-Content-Type-Options", "nosniff"),
                ], body: .events)
        case Self.scriptPath:
            return file(Array(LiveReloadScript.source.utf8), path: "live.js", request: request)
        case Self.auditPath:
            guard let report = site.audit(now: Date()) else {
                return html(503, "<h1>站点还没有成功生成</h1><p>修正问题后再打开检查页面。</p>", request: request)
            }
            return file(Array(report.html.utf8), path: "audit.html", request: request)
        case Self.counterPath:
            // A page elsewhere could call the counter (`<img src>`, which sends no Origin) with ids without end,
            // and each new one was kept: other sites' requests are refused, and only the site's articles count.
            if let origin = request.headers["origin"], !isAllowed(origin: origin) {
                return plain(403, "拒绝访问：Origin 不是本机地址。\n")
            }
            if let fetchSite = request.headers["sec-fetch-site"]?.lowercased(), fetchSite != "same-origin",
                fetchSite != "none"
            {
                return plain(403, "拒绝访问：请求来自别的网站。\n")
            }
            if let list = query.flatMap({ Self.queryValue("ids", in: $0) }) {
                return counts(list, request: request)
            }
            let id = query.flatMap { Self.queryValue("id", in: $0) } ?? ""
            guard site.hasArticle(id: id) else {
                var response = file(Array("{\"count\": 0}".utf8), path: "count.json", request: request)
                response.status = 404
                return response
            }
            let body = "{\"count\": \(counter.hit(id))}"
            return file(Array(body.utf8), path: "count.json", request: request)
        default:
            break
        }
        if path.hasPrefix("__lanmu/") { return notFound(request) }
        let key = path.isEmpty || path.hasSuffix("/") ? path + "index.html" : path
        if let served = site.file(at: key) {
            return file(served.bytes, path: key, request: request, etag: served.etag)
        }
        if !path.isEmpty, !path.hasSuffix("/"), site.file(at: path + "/index.html") != nil {
            let location =
                request.target.split(separator: "?", maxSplits: 1).first.map(String.init)! + "/"
                + (query.map { "?" + $0 } ?? "")
            return PreviewResponse(
                status: 301, headers: [("Location", location), ("Content-Length", "0"), ("Cache-Control", "no-cache")],
                body: .bytes([]))
        }
        if site.paths.isEmpty {
            return html(503, "<h1>站点还没有成功生成</h1><p>修正下面列出的问题后，页面会自动刷新。</p>", request: request)
        }
        return notFound(request)
    }

    // MARK: Hosts

    static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1"]

    /// `Host` without its port; IPv6 literals lose their brackets.
    static func hostName(_ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
            return String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
        }
        return String(trimmed.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// Loopback names, the configured host, and IP literals (a rebinding attack needs a DNS name).
    func isAllowed(host value: String) -> Bool {
        let name = Self.hostName(value)
        if name.isEmpty { return false }
        if Self.loopbackNames.contains(name) || name.hasSuffix(".localhost") || extraHosts.contains(name) {
            return true
        }
        return Self.isIPLiteral(name)
    }

    func isAllowed(origin: String) -> Bool {
        for scheme in ["http://", "https://"] where origin.lowercased().hasPrefix(scheme) {
            return isAllowed(host: String(origin.dropFirst(scheme.count)))
        }
        return false
    }

    static func isIPLiteral(_ name: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }

    // MARK: Responses

    private func file(_ stored: [UInt8], path: String, request: PreviewRequest, etag: String? = nil) -> PreviewResponse
    {
        var bytes = stored
        var tag = etag ?? LiveSite.etag(stored)
        let type = ContentTypes.type(forPath: path)
        if type.hasPrefix("text/html") {
            bytes = Self.inject(into: bytes)
            tag = String(tag.dropLast()) + "-live\""
        }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", type), ("Cache-Control", "no-cache"), ("ETag", tag), ("Accept-Ranges", "bytes"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if let match = request.headers["if-none-match"],
            match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag || $0 == "*" })
        {
            return PreviewResponse(status: 304, headers: headers, body: .bytes([]))
        }
        var status = 200
        if let range = request.headers["range"] {
            switch ByteRange.parse(range, size: bytes.count) {
            case .satisfiable(let lower, let upper):
                status = 206
                headers.append(("Content-Range", "bytes \(lower)-\(upper)/\(bytes.count)"))
                bytes = Array(bytes[lower...upper])
            case .unsatisfiable:
                headers.append(("Content-Range", "bytes */\(bytes.count)"))
                headers.append(("Content-Length", "0"))
                return PreviewResponse(status: 416, headers: headers, body: .bytes([]))
            case .ignored:
                break
            }
        }
        headers.append(("Content-Length", String(bytes.count)))
        return PreviewResponse(status: status, headers: headers, body: .bytes(request.method == "HEAD" ? [] : bytes))
    }

    /// Adds the live-reload script at the end of `<head>` (or at the start when there is none).
    static func inject(into bytes: [UInt8]) -> [UInt8] {
        let marker = Array("</head>".utf8)
        let tag = Array(scriptTag.utf8)
        if let index = firstIndex(of: marker, in: bytes) {
            return Array(bytes[..<index]) + tag + Array(bytes[index...])
        }
        return tag + bytes
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count, let first = needle.first else { return nil }
        return haystack.withUnsafeBufferPointer { bytes in
            var start = 0
            while start <= bytes.count - needle.count {
                if bytes[start] == first, bytes[start..<(start + needle.count)].elementsEqual(needle) { return start }
                start += 1
            }
            return nil
        }
    }

    private func notFound(_ request: PreviewRequest) -> PreviewResponse {
        html(404, "<h1>404 页面不存在</h1><p><a href=\"/\">返回首页</a></p>", request: request)
    }

    private func html(_ status: Int, _ body: String, request: PreviewRequest) -> PreviewResponse {
        let page = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>Lanmu 预览</title></head>
            <body>\(body)</body></html>

            """
        var response = file(
            Array(page.utf8), path: "error.html", request: PreviewRequest(method: request.method, target: "/"))
        response.status = status
        return response
    }

    private func plain(_ status: Int, _ text: String, extra: [(String, String)] = []) -> PreviewResponse {
        let bytes = Array(text.utf8)
        return PreviewResponse(
            status: status,
            headers: [
                ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", String(bytes.count)),
                ("Cache-Control", "no-cache"),
            ] + extra.map { (name: $0.0, value: $0.1) }, body: .bytes(bytes))
    }

    /// `?ids=a,b`, as `GET /api/hits?ids=` of `lanmu counter` reads them for list pages: the counts of the site's
    /// articles among at most 100 ids, none counted.
    private func counts(_ list: String, request: PreviewRequest) -> PreviewResponse {
        let ids = list.split(separator: ",").map(String.init)
        guard !ids.isEmpty, ids.count <= 100 else {
            var response = file(Array("{}".utf8), path: "count.json", request: request)
            response.status = 400
            return response
        }
        var counts: [String: Int] = [:]
        for id in ids where site.hasArticle(id: id) { counts[id] = counter.count(id) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(counts)).map(Array.init) ?? Array("{}".utf8)
        return file(body, path: "count.json", request: request)
    }

    static func queryValue(_ name: String, in query: String) -> String? {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first.map(String.init) == name {
                return parts.count > 1 ? RequestDecoding.strictlyDecoded(parts[1].replacing("+", with: " ")) : ""
            }
        }
        return nil
    }
}

/// A single `Range: bytes=…` request; several ranges are answered with the whole file, as RFC 9110 allows.
enum ByteRange: Equatable {
    case satisfiable(Int, Int)
    case unsatisfiable
    case ignored

    static func parse(_ header: String, size: Int) -> ByteRange {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("bytes="), !value.contains(",") else { return .ignored }
        let spec = value.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .ignored }
        let first = parts[0].trimmingCharacters(in: .whitespaces)
        let last = parts[1].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let suffix = Int(last), suffix >= 0 else { return .ignored }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .satisfiable(max(0, size - suffix), size - 1)
        }
        guard let lower = Int(first), lower >= 0 else { return .ignored }
        var upper = size - 1
        if !last.isEmpty {
            guard let end = Int(last), end >= lower else { return .ignored }
            upper = min(end, size - 1)
        }
        guard lower < size else { return .unsatisfiable }
        return .satisfiable(lower, upper)
    }
}
