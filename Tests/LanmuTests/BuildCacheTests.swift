import Foundation
import Testing

@testable import LanmuCore

/// The build cache (`.lanmu-cache/`), `--changes` and `--no-cache`: a build after any change writes exactly what a
/// clean build writes, and a cache that cannot be trusted is ignored with W009.
@Suite struct BuildCacheTests {
    /// Sets every file below the site's content and templates back by an hour, as files edited long before the
    /// build: the cache keeps only the signatures of files that settled (see `BuildCache.settled`).
    func age(_ site: TestSite) throws {
        for folder in ["content", "templates"] {
            let root = site.root.appendingPathComponent(folder)
            guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { continue }
            for case let path as String in enumerator {
                try FileManager.default.setAttributes(
                    [.modificationDate: Date().addingTimeInterval(-3600)],
                    ofItemAtPath: root.appendingPathComponent(path).path)
            }
        }
    }

    func build(_ site: TestSite, now: Date = testNow, cache: Bool = true, drafts: Bool = false) -> BuildReport {
        var options = site.options
        options.usesCache = cache
        options.includeDrafts = drafts
        options.listsRemovedFiles = true
        return Generator(options: options).build(now: now)
    }

    /// (path → [inode, modification time in ms]) of every output file.
    func stamps(_ site: TestSite) throws -> [String: [Int]] {
        var stamps: [String: [Int]] = [:]
        for path in site.tree().keys {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: site.root.appendingPathComponent("public/" + path).path)
            let modified = (attributes[.modificationDate] as! Date).timeIntervalSince1970
            stamps[path] = [Int(modified * 1000), (attributes[.systemFileNumber] as! NSNumber).intValue]
        }
        return stamps
    }

    static func site() throws -> TestSite {
        var files = TestSite.column(articles: 7, paginate: 3)
        files["content/sanfuwu/shixian/a02.md"] = TestSite.article(
            "文章2", date: "2025-03-02 09:00", body: "见[第五篇](a05.md)和![图](tu.png)。")
        files["content/sanfuwu/shixian/tu.png"] = "PNG"
        files["content/sanfuwu/shixian/a04.md"] = TestSite.article(
            "文章4", date: "2025-03-04 09:00", extra: "draft: true\n")
        return try TestSite(files)
    }

    @Test func aBuildWithNothingChangedReadsAndWritesNothing() throws {
        let site = try Self.site()
        try age(site)
        let first = build(site)
        #expect(first.succeeded && !first.nothingChanged)
        #expect(!first.changes.added.isEmpty && first.changes.modified.isEmpty)
        let before = try stamps(site)
        let second = build(site)
        #expect(second.nothingChanged)
        #expect(second.changes.isEmpty)
        #expect(second.diagnostics == first.diagnostics)
        #expect(second.heldBack == first.heldBack && second.heldBack.count == 1)
        #expect(second.articleCount == first.articleCount)
        #expect(second.pageCount == first.pageCount && second.fileCount == first.fileCount)
        #expect(try stamps(site) == before)
        // Without the cache the same site is built in full, and writes nothing new either.
        let clean = build(site, cache: false)
        #expect(!clean.nothingChanged && clean.changes.isEmpty)
        #expect(try stamps(site) == before)
    }

    /// Every kind of change, one after the other on one site: the output equals a clean build's, byte for byte, and
    /// `--changes` lists exactly the files that differ from the output before.
    @Test func afterEveryKindOfChangeTheOutputEqualsACleanBuild() throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let changes: [(String, () throws -> Void)] = [
            (
                "add",
                {
                    try site.write(
                        TestSite.article("新文章", date: "2025-03-09 09:00"), to: "content/sanfuwu/shixian/b01.md")
                }
            ),
            (
                "edit",
                {
                    try site.write(
                        TestSite.article("文章3", date: "2025-03-03 09:00", body: "改过。"),
                        to: "content/sanfuwu/shixian/a03.md")
                }
            ),
            (
                "rename",
                {
                    try FileManager.default.moveItem(
                        at: site.root.appendingPathComponent("content/sanfuwu/shixian/a06.md"),
                        to: site.root.appendingPathComponent("content/sanfuwu/shixian/a66.md"))
                }
            ),
            ("delete", { try site.remove("content/sanfuwu/shixian/a01.md") }),
            (
                "slug that moves a link",
                {
                    try site.write(
                        TestSite.article("文章5", date: "2025-03-05 09:00", extra: "slug: wu\n"),
                        to: "content/sanfuwu/shixian/a05.md")
                }
            ),
            ("asset", { try site.write("PNG2", to: "content/sanfuwu/shixian/tu.png") }),
            (
                "new column",
                {
                    try site.write(TestSite.section("新栏目"), to: "content/sanfuwu/xin/_index.md")
                    try site.write(TestSite.article("栏目首篇", date: "2025-03-10 09:00"), to: "content/sanfuwu/xin/c01.md")
                }
            ),
            (
                "template",
                {
                    let url = site.root.appendingPathComponent("templates/article.mustache")
                    try site.write(
                        try String(contentsOf: url, encoding: .utf8) + "<!-- 改 -->\n", to: "templates/article.mustache")
                }
            ),
            (
                "settings",
                { try site.write(TestSite.home.replacingOccurrences(of: "测试站", with: "新站名"), to: "content/_index.md") }
            ),
            (
                "a draft published",
                {
                    try site.write(
                        TestSite.article("文章4", date: "2025-03-04 09:00"), to: "content/sanfuwu/shixian/a04.md")
                }
            ),
        ]
        var ways: Set<Bool> = []
        for (name, change) in changes {
            let before = site.tree()
            try change()
            let report = build(site)
            ways.insert(report.updatedInPlace)
            #expect(report.succeeded && !report.nothingChanged, "\(name)")
            let after = site.tree()
            #expect(after == fullBuild(site.options), "\(name)")
            let added = after.keys.filter { before[$0] == nil }.sorted()
            let modified = after.keys.filter { before[$0] != nil && before[$0] != after[$0] }.sorted()
            let removed = before.keys.filter { after[$0] == nil }.sorted()
            #expect(report.changes.added == added, "\(name)")
            #expect(report.changes.modified == modified, "\(name)")
            #expect(report.changes.removed == removed, "\(name)")
            #expect(!report.changes.isEmpty, "\(name)")
        }
        // Small changes went in place, the template and settings changes through a staging folder.
        #expect(ways == [true, false])
    }

    /// One article edited: the output is updated in place, only the files whose bytes change are touched.
    @Test func aSmallChangeUpdatesTheOutputInPlace() throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let before = try stamps(site)
        try site.write(
            TestSite.article("文章3", date: "2025-03-03 09:00", body: "只改正文。"), to: "content/sanfuwu/shixian/a03.md")
        let report = build(site)
        #expect(report.succeeded && report.updatedInPlace)
        let after = try stamps(site)
        let touched = after.keys.filter { after[$0] != before[$0] }.sorted()
        #expect(touched == (report.changes.added + report.changes.modified).sorted())
        #expect(touched.contains("sanfuwu/shixian/a03/index.html"))
        #expect(site.tree() == fullBuild(site.options))
        // Deleting an article removes its page and its folder.
        try site.remove("content/sanfuwu/shixian/a03.md")
        let removal = build(site)
        #expect(removal.updatedInPlace && removal.changes.removed.contains("sanfuwu/shixian/a03/index.html"))
        #expect(removal.changes.removed.allSatisfy { !site.exists("public/" + $0) })
        #expect(!site.exists("public/sanfuwu/shixian/a03"))
        #expect(site.tree() == fullBuild(site.options))
        let undo = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.contains("undo") }
        #expect(undo.isEmpty)
    }

    /// A file that cannot be written halfway through an in-place update: the build fails and every file of the
    /// output is the previous one again, same inode and time.
    @Test func aFailedInPlaceUpdatePutsEveryFileBack() throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let before = try stamps(site)
        let tree = site.tree()
        for name in ["a03", "a06"] {
            try site.write(
                TestSite.article("改\(name)", date: "2025-03-0\(name.last!) 09:00", body: "改了。"),
                to: "content/sanfuwu/shixian/\(name).md")
        }
        // A folder where the new page of a06 would be written first.
        try FileManager.default.createDirectory(
            at: site.root.appendingPathComponent("public/sanfuwu/shixian/a06/.lanmu-new-index.html"),
            withIntermediateDirectories: true)
        let report = build(site)
        #expect(!report.succeeded && report.diagnostics.contains { $0.code == .fileSystem })
        #expect(site.tree() == tree)
        #expect(try stamps(site) == before)
        let undo = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.contains("undo") }
        #expect(undo.isEmpty)
    }

    /// What a build killed in the middle of an update leaves (an undo folder of a process that is gone) is played
    /// back: files added go, files replaced or removed come back.
    @Test func anUpdateLeftByAKilledBuildIsUndone() throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let tree = site.tree()
        let undo = site.root.appendingPathComponent(".public.lanmu-undo-999999999")
        // index.html replaced, the 404 page removed, a new page added, as a killed update would leave them.
        try FileManager.default.createDirectory(
            at: undo.appendingPathComponent("files"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: site.root.appendingPathComponent("public/index.html"),
            to: undo.appendingPathComponent("files/index.html"))
        try site.write("新的首页", to: "public/index.html")
        try FileManager.default.createDirectory(
            at: undo.appendingPathComponent("files/sanfuwu/shixian/a02"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: site.root.appendingPathComponent("public/sanfuwu/shixian/a02/index.html"),
            to: undo.appendingPathComponent("files/sanfuwu/shixian/a02/index.html"))
        try site.write("新文章", to: "public/sanfuwu/xin/b/index.html")
        try Data("sanfuwu/xin/b/index.html\n".utf8).write(to: undo.appendingPathComponent("added"))
        InPlaceUpdate.recoverLeftovers(of: site.root.appendingPathComponent("public"))
        #expect(site.tree() == tree)
        #expect(!site.exists("public/sanfuwu/xin") && !site.exists(".public.lanmu-undo-999999999"))
    }

    @Test func theChangesListMarksEachFile() {
        var changes = OutputChanges()
        changes.added = ["b/index.html"]
        changes.modified = ["a/index.html", "index.xml"]
        changes.removed = ["c/index.html"]
        #expect(changes.lines == "M a/index.html\nA b/index.html\nD c/index.html\nM index.xml\n")
        #expect(OutputChanges().lines == "")
    }

    @Test func aFutureArticleIsPublishedWhenItsDateComes() throws {
        var files = TestSite.column(articles: 2)
        files["content/sanfuwu/shixian/z.md"] = TestSite.article("明天", date: "2026-01-02 09:00")
        let site = try TestSite(files)
        try age(site)
        #expect(build(site).heldBack.count == 1)
        #expect(build(site).nothingChanged)
        let later = testNow.addingTimeInterval(3 * 86_400)
        let report = build(site, now: later)
        #expect(!report.nothingChanged && report.heldBack.isEmpty)
        #expect(report.changes.added.contains("sanfuwu/shixian/z/index.html"))
        #expect(site.tree() == fullBuild(site.options, now: later))
    }

    /// With mourning days set, the day of the build shapes every page: a cache holds only until midnight.
    @Test func mourningDaysMakeTheCacheHoldForADay() throws {
        var files = TestSite.column(articles: 2)
        files["content/_index.md"] = TestSite.home.replacingOccurrences(
            of: "site_name: 测试站\n", with: "site_name: 测试站\nmourning_days:\n  - 01-02\n")
        let site = try TestSite(files)
        try age(site)
        #expect(build(site).succeeded)
        #expect(build(site, now: testNow.addingTimeInterval(3600)).nothingChanged)
        let nextDay = testNow.addingTimeInterval(86_400 + 3600)
        let report = build(site, now: nextDay)
        #expect(report.succeeded && !report.nothingChanged)
        #expect(try site.read("public/index.html").contains("mourning"))
        #expect(site.tree() == fullBuild(site.options, now: nextDay))
    }

    /// A site on the theme inside the executable: cached as well, and a templates/ folder made later counts.
    @Test func aSiteWithoutTemplatesIsCachedAndATemplatesFolderCounts() throws {
        let site = try TestSite(TestSite.column(articles: 2), copyTemplates: false)
        try age(site)
        #expect(build(site).succeeded)
        #expect(build(site).nothingChanged)
        try site.write("<p>{{site.name}}</p>\n", to: "templates/home.mustache")
        let report = build(site)
        #expect(report.succeeded && !report.nothingChanged && report.changes.modified.contains("index.html"))
        #expect(site.tree() == fullBuild(site.options))
    }

    @Test func aRemovedOrReplacedOutputIsBuiltAgain() throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let built = site.tree()
        try site.remove("public/index.html")
        let report = build(site)
        #expect(!report.nothingChanged && report.changes.added == ["index.html"])
        #expect(site.tree() == built)
        try site.remove("public")
        #expect(!build(site).nothingChanged)
        #expect(site.tree() == built)
    }

    /// A cache that is cut short, altered, of other options or not a cache at all: W009, a full build, and a good
    /// cache again afterwards.
    @Test(arguments: ["truncated", "altered", "options", "garbage", "empty"])
    func anUnusableCacheIsReportedAndIgnored(_ damage: String) throws {
        let site = try Self.site()
        try age(site)
        let first = build(site)
        let built = site.tree()
        let state = site.root.appendingPathComponent(".lanmu-cache/state")
        var bytes = try [UInt8](Data(contentsOf: state))
        // Edits the output behind the cache's back: only a full build puts it right again.
        try site.write("旧", to: "public/sanfuwu/shixian/a03/index.html")
        var drafts = false
        switch damage {
        case "truncated": bytes.removeLast(9)
        case "altered": bytes[bytes.count / 2] ^= 0x20
        case "options": drafts = true
        case "garbage": bytes = Array("hello".utf8)
        default: bytes = []
        }
        try Data(bytes).write(to: state)
        let report = build(site, drafts: drafts)
        #expect(report.succeeded && !report.nothingChanged)
        #expect(report.diagnostics.map(\.code).filter { $0 == .unusableBuildCache }.count == 1, "\(damage)")
        if drafts {
            #expect(
                site.tree()
                    == fullBuild(
                        {
                            var o = site.options; o.includeDrafts = true; return o
                        }()))
        } else {
            #expect(site.tree() == built)
            let again = build(site)
            #expect(again.nothingChanged && again.diagnostics == first.diagnostics)
        }
    }

    @Test func theCacheFileRoundTrips() {
        let state = BuildCache.State(
            key: "k\n中", content: ["a.md": FileSignature(modified: 1, modifiedNanoseconds: 2, size: 3, inode: 4)],
            templates: [:], output: FileSignature(modified: 5, modifiedNanoseconds: 6, size: 7, inode: 8),
            sameOutputUntil: PublishDate(secondsSince1970: 99), articleCount: 1, pageCount: 2, fileCount: 3,
            heldBack: [
                .init(file: "x.md", reason: .draft), .init(file: "y.md", reason: .future(date: "2026-01-02 09:00")),
            ],
            diagnostics: [Diagnostic(.unknownKey, at: .init(file: "a.md", line: 2, column: 3), "未知", hint: "删掉")])
        let folder = testScratch.appendingPathComponent("cache-\(UUID().uuidString)")
        let cache = BuildCache(siteRoot: folder)
        #expect(throws: Never.self) { try cache.write(state) }
        #expect(cache.read(key: "k\n中") == .state(state))
        if case .unusable = cache.read(key: "other") {} else { Issue.record("another key is not usable") }
        cache.invalidate()
        #expect(cache.read(key: "k\n中") == .missing)
    }

    /// A second build of the same site waits for the first: here the lock is held by the test, the build says it
    /// waits, and finishes once the lock is let go.
    @Test func aSecondBuildWaitsForTheFirst() throws {
        let site = try Self.site()
        let folder = site.root.appendingPathComponent(BuildCache.folderName)
        var lock = BuildLock(folder: folder)
        #expect(lock != nil && BuildLock.isHeld(in: folder))
        let waited = Flag()
        let finished = Flag()
        let options = site.options
        Thread.detachNewThread {
            let report = Generator(options: options).build(now: testNow) { line in
                if line.contains("另一个 lanmu build") { waited.set() }
            }
            if report.succeeded { finished.set() }
        }
        for _ in 0..<600 where !waited.value { usleep(10_000) }
        #expect(waited.value && !finished.value)
        lock = nil
        for _ in 0..<3000 where !finished.value { usleep(10_000) }
        #expect(finished.value)
        #expect(!BuildLock.isHeld(in: folder))
        #expect(site.tree() == fullBuild(site.options))
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        var value: Bool { lock.withLock { raised } }
        func set() { lock.withLock { raised = true } }
    }
}
