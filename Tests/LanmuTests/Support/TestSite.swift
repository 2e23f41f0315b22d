import Foundation
import Testing

@testable import LanmuCore

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A fixed clock for every test: 2026-01-01 00:00 in Shanghai.
let testNow = Date(timeIntervalSince1970: 1_767_196_800)

/// The folder every test writes below, one per test process. Folders of earlier runs whose process has ended are
/// removed when this one is made, so test runs do not pile up in the temporary directory.
let testScratch: URL = {
    let temporary = FileManager.default.temporaryDirectory
    let prefix = "lanmu-tests-"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
    where name.hasPrefix(prefix) {
        guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else {
            continue
        }
        try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
    }
    let scratch = temporary.appendingPathComponent(prefix + String(getpid()))
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    return scratch
}()

/// A site written into a fresh temporary directory, with the repository's default templates.
struct TestSite {
    let root: URL

    /// Writes `files` (path relative to the site root → text) and copies the default templates unless given.
    init(_ files: [String: String], copyTemplates: Bool = true) throws {
        root = testScratch.appendingPathComponent("lanmu-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        if copyTemplates {
            try FileManager.default.copyItem(
                at: repositoryRoot.appendingPathComponent("templates"), to: root.appendingPathComponent("templates"))
        }
        for (path, text) in files { try write(text, to: path) }
    }

    func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    func write(_ data: Data, to path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    var options: BuildOptions { BuildOptions(siteRoot: root) }

    func build(drafts: Bool = false, future: Bool = false) -> BuildReport {
        var options = options
        options.includeDrafts = drafts
        options.includeFuture = future
        return Generator(options: options).build(now: testNow)
    }

    /// Every file below a folder of the site, relative path → bytes.
    func tree(_ path: String = "public") -> [String: Data] {
        snapshot(of: root.appendingPathComponent(path))
    }

    static let home = """
        ---
        title: 首页
        site_name: 测试站
        base_url: https://www.example.gov.cn
        ---

        """

    static func section(_ title: String, extra: String = "") -> String {
        "---\ntitle: \(title)\n\(extra)---\n"
    }

    static func article(_ title: String, date: String, extra: String = "", body: String = "正文。") -> String {
        "---\ntitle: \(title)\ndate: \(date)\n\(extra)---\n\n\(body)\n"
    }

    /// A topic and a column with articles dated one day apart, newest last in `count`.
    static func column(articles count: Int, paginate: Int? = nil) -> [String: String] {
        var files = [
            "content/_index.md": home, "content/sanfuwu/_index.md": section("三服务专题"),
            "content/sanfuwu/shixian/_index.md": section("市县动态", extra: paginate.map { "paginate: \($0)\n" } ?? ""),
        ]
        for day in 1...max(count, 1) where count > 0 {
            let name = String(format: "a%02d", day)
            files["content/sanfuwu/shixian/\(name).md"] = article(
                "文章\(day)", date: String(format: "2025-03-%02d 09:00", day))
        }
        return files
    }
}

/// The files a full `lanmu build` of these options writes (into a scratch folder, removed afterwards).
func fullBuild(
    _ options: BuildOptions, now: Date = testNow, sourceLocation: SourceLocation = #_sourceLocation
) -> [String: Data] {
    var options = options
    options.outputDirectory = testScratch.appendingPathComponent("lanmu-full-\(UUID().uuidString)")
    options.usesCache = false
    defer { try? FileManager.default.removeItem(at: options.outputDirectory) }
    let report = Generator(options: options).build(now: now)
    #expect(report.succeeded, "\(report.diagnostics)", sourceLocation: sourceLocation)
    return snapshot(of: options.outputDirectory)
}

/// Every regular file below a directory, relative path → bytes (hidden files included).
func snapshot(of directory: URL) -> [String: Data] {
    var files: [String: Data] = [:]
    guard
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
    else { return files }
    let prefix = directory.standardizedFileURL.resolvingSymlinksInPath().path + "/"
    for case let url as URL in enumerator {
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        files[String(path.dropFirst(prefix.count))] = try? Data(contentsOf: url)
    }
    return files
}

/// Compares diagnostics as text, pointing a failure at the caller.
func expectDiagnostics(
    _ report: BuildReport, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(report.diagnostics.map(\.description) == expected, sourceLocation: sourceLocation)
}

/// The titles of the article list of a page, in order.
func listedTitles(_ html: String) -> [String] {
    guard let start = html.range(of: "<ul class=\"article-list\">"),
        let end = html.range(of: "</ul>", range: start.upperBound..<html.endIndex)
    else { return [] }
    return html[start.upperBound..<end.lowerBound].components(separatedBy: "title=\"").dropFirst()
        .map { String($0.prefix { $0 != "\"" }) }
}
