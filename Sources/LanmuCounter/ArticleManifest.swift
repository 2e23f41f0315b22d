import Foundation

/// The article ids the build wrote into `public/counter-ids.txt` (one `id<TAB>url` per line): the only ids the
/// counter counts. Read again when the file changes, so that a new build's articles count without a restart.
public final class ArticleManifest: @unchecked Sendable {
    /// The manifest's name in the output folder.
    public static let fileName = "counter-ids.txt"

    let path: String
    private let lock = NSLock()
    private var ids: Set<String> = []
    private var urls: [String: String] = [:]
    private var modified: Date?
    private var lastLook = Date.distantPast

    /// Reads the manifest.
    /// - Throws: `CounterStartError` when it does not exist.
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw CounterStartError(
                "找不到文章清单 \(path)：先运行 lanmu build（它写出这个文件），或用 --site 指向站点目录、--ids 指向清单文件")
        }
        reload()
    }

    /// Whether `id` is an article of the site; a miss looks at the file again (at most once a second).
    public func contains(_ id: String) -> Bool {
        if lock.withLock({ ids.contains(id) }) { return true }
        reloadIfChanged()
        return lock.withLock { ids.contains(id) }
    }

    /// The articles among `ids`, in their order, under one look at the lock (a read of a list page names up to a
    /// hundred); a miss looks at the file again as `contains` does.
    func known(_ ids: [String]) -> [String] {
        let found = lock.withLock { ids.filter { self.ids.contains($0) } }
        guard found.count < ids.count else { return found }
        reloadIfChanged()
        return lock.withLock { ids.filter { self.ids.contains($0) } }
    }

    /// The id of the article at `url` (its path, `/sanfuwu/shixian/a/`, or a full address ending in it), or at an old
    /// URL of it (the manifest lists aliases as written, `/art/2020/4/30/art_1229_4567890.html`, `/old/index.shtml`).
    public func id(forURL url: String) -> String? {
        var path = url
        if let components = URLComponents(string: url), components.host != nil { path = components.percentEncodedPath }
        let given = path
        if !path.hasSuffix("/") && !path.hasSuffix(".html") { path += "/" }
        if path.hasSuffix("/index.html") { path = String(path.dropLast("index.html".count)) }
        return lock.withLock {
            urls[path] ?? urls[path.removingPercentEncoding ?? path] ?? urls[given]
                ?? urls[given.removingPercentEncoding ?? given]
        }
    }

    /// How many articles the manifest names.
    public var count: Int { lock.withLock { ids.count } }

    private func reloadIfChanged() {
        let now = Date()
        let due = lock.withLock {
            guard now.timeIntervalSince(lastLook) >= 1 else { return false }
            lastLook = now
            return true
        }
        guard due else { return }
        let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        if date != lock.withLock({ modified }) { reload() }
    }

    private func reload() {
        // A manifest that cannot be read now (a build replacing it) keeps the previous ids.
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        var ids = Set<String>()
        var urls: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard let id = fields.first.map(String.init), !id.isEmpty else { continue }
            ids.insert(id)
            if fields.count == 2 {
                let url = String(fields[1])
                urls[url] = id
                if let decoded = url.removingPercentEncoding { urls[decoded] = id }
            }
        }
        lock.withLock {
            self.ids = ids
            self.urls = urls
            self.modified = date
        }
    }
}
