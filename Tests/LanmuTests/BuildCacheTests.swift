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

    /// Sets the files modified in the last minute back to a time of their own (an hour ago plus `step` seconds), as
    /// files edited well before the next build: their records are kept, and are taken by the build after it.
    func settle(_ site: TestSite, step: Int) throws {
        let recent = Date().addingTimeInterval(-60)
        let time = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3600).rounded(.down) + Double(step))
        for folder in ["content", "templates"] {
            let root = site.root.appendingPathComponent(folder)
            guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { continue }
            for case let path as String in enumerator {
                let url = root.appendingPathComponent(path)
                let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
                guard let modified = attributes[.modificationDate] as? Date, modified > recent else { continue }
                try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: url.path)
            }
        }
    }

    /// The Markdown files a build reads when nothing is cached (`content/_index.md` aside), and the sections among
    /// them (always read).
    func markdown(_ site: TestSite) -> (files: Int, sections: Int) {
        let paths = site.tree("content").keys.filter { $0.hasSuffix(".md") && $0 != "_index.md" }
        return (paths.count, paths.count { $0.hasSuffix("/_index.md") })
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
            "文章2", date: "2025-03-02 09:00", extra: "attachments:\n  - tongzhi.pdf | 通知\n",
            body: "见[第五篇](a05.md)和![图](tu.png)。")
        files["content/sanfuwu/shixian/tu.png"] = "PNG"
        files["content/sanfuwu/shixian/tongzhi.pdf"] = "PDF"
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
                        TestSite.article("文章3", date: "2025-03-03 09:00", body: "改过。<span>原样</span>"),
                        to: "content/sanfuwu/shixian/a03.md")
                }
            ),
            (
                "title that neighbours show (上一篇/下一篇) and lists show",
                {
                    try site.write(
                        TestSite.article("改了标题的文章3", date: "2025-03-03 09:00", body: "改过。<span>原样</span>"),
                        to: "content/sanfuwu/shixian/a03.md")
                }
            ),
            (
                "date that moves an article to another list page",
                {
                    try site.write(
                        TestSite.article("改了标题的文章3", date: "2025-03-20 09:00", body: "改过。<span>原样</span>"),
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
            ("attachment's size", { try site.write("PDF, longer", to: "content/sanfuwu/shixian/tongzhi.pdf") }),
            (
                "column title",
                {
                    try site.write(
                        TestSite.section("市县新闻", extra: "paginate: 3\n"), to: "content/sanfuwu/shixian/_index.md")
                }
            ),
            (
                "new column",
                {
                    try site.write(TestSite.section("新栏目"), to: "content/sanfuwu/xin/_index.md")
                    try site.write(TestSite.article("栏目首篇", date: "2025-03-10 09:00"), to: "content/sanfuwu/xin/c01.md")
                }
            ),
            (
                "article moved to another column",
                {
                    try FileManager.default.moveItem(
                        at: site.root.appendingPathComponent("content/sanfuwu/shixian/a07.md"),
                        to: site.root.appendingPathComponent("content/sanfuwu/xin/a07.md"))
                }
            ),
            (
                "template partial",
                {
                    let url = site.root.appendingPathComponent("templates/partials/header.mustache")
                    try site.write(
                        try String(contentsOf: url, encoding: .utf8) + "<!-- 页头 -->\n",
                        to: "templates/partials/header.mustache")
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
                "article template that shows the column's count",
                {
                    let url = site.root.appendingPathComponent("templates/article.mustache")
                    try site.write(
                        try String(contentsOf: url, encoding: .utf8).replacingOccurrences(
                            of: "<article class=\"box article\">",
                            with: "<article class=\"box article\" data-total=\"{{section.total}}\">"),
                        to: "templates/article.mustache")
                }
            ),
            (
                "add, the column's count on every article page",
                {
                    try site.write(
                        TestSite.article("又一篇", date: "2025-03-11 09:00"), to: "content/sanfuwu/shixian/b02.md")
                }
            ),
            (
                "settings",
                { try site.write(TestSite.home.replacingOccurrences(of: "测试站", with: "新站名"), to: "content/_index.md") }
            ),
            (
                "settings the parser reads (raw HTML kept)",
                {
                    try site.write(
                        TestSite.home.replacingOccurrences(
                            of: "site_name: 测试站\n", with: "site_name: 新站名\nraw_html: true\n"),
                        to: "content/_index.md")
                }
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
        for (step, (name, change)) in changes.enumerated() {
            let before = site.tree()
            try change()
            // Changed files settle, so that the next build takes their records (made by this one).
            try settle(site, step: step + 1)
            let report = build(site)
            ways.insert(report.updatedInPlace)
            #expect(report.succeeded && !report.nothingChanged, "\(name)")
            // Only the changed files and the sections are read; a change of settings reads every file.
            let (files, sections) = markdown(site)
            if name.hasPrefix("settings") {
                #expect(report.filesRead == files, "\(name)")
            } else {
                #expect(report.filesRead <= sections + 2, "\(name): \(report.filesRead) of \(files)")
            }
            let after = site.tree()
            #expect(after == fullBuild(site.options), "\(name)")
            // In place, only the jobs whose inputs changed were rendered; the rest were left unread.
            if report.updatedInPlace {
                #expect(report.filesSkipped > 0 && report.filesSkipped < report.fileCount, "\(name)")
            } else {
                #expect(report.filesSkipped == 0, "\(name)")
            }
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

    /// The records of parsed articles (`.lanmu-cache/records` and its index) cut short, altered, missing or not a
    /// cache at all: W009, every file they would have given is read again (a body that fails its check is rendered
    /// again from its file), the output is a clean build's, and the next build has good records.
    @Test(arguments: [
        "truncated", "header", "record", "body", "index", "index truncated", "index missing", "records missing",
        "garbage", "empty",
    ])
    func unusableRecordsAreReportedAndIgnored(_ damage: String) throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let built = site.tree()
        let (files, sections) = markdown(site)
        let cache = site.root.appendingPathComponent(BuildCache.folderName)
        let records = cache.appendingPathComponent(RecordCache.fileName)
        let index = cache.appendingPathComponent(RecordCache.indexName)
        var bytes = try [UInt8](Data(contentsOf: records))
        var indexBytes = try [UInt8](Data(contentsOf: index))
        // The records file: "LANMU-RECORDS\n", version, generation (26 bytes), then each record's metadata and body.
        switch damage {
        case "truncated": bytes.removeLast(30)
        case "header": bytes[20] ^= 0x01
        case "record": bytes[26 + 9] ^= 0x01
        case "body":
            // Every body's first paragraph: the metadata holds no markup.
            for position in bytes.indices.dropLast(2) where bytes[position...].starts(with: Array("<p>".utf8)) {
                bytes[position + 1] ^= 0x01
            }
        case "index": indexBytes[indexBytes.count / 2] ^= 0x01
        case "index truncated": indexBytes.removeLast(20)
        case "garbage": bytes = Array("hello".utf8)
        default: bytes = []
        }
        if damage == "index missing" {
            try FileManager.default.removeItem(at: index)
        } else if damage == "records missing" {
            try FileManager.default.removeItem(at: records)
        } else {
            try Data(bytes).write(to: records)
            try Data(indexBytes).write(to: index)
        }
        // Without the state every file is looked at again.
        try FileManager.default.removeItem(at: cache.appendingPathComponent(BuildCache.stateName))
        let report = build(site)
        #expect(report.succeeded)
        let warnings = report.diagnostics.filter { $0.code == .unusableBuildCache }
        #expect(warnings.count == 1 && warnings.first?.location.file.hasSuffix("records") == true, "\(damage)")
        if damage == "record" {
            #expect(report.filesRead == sections + 1)
        } else if damage == "body" {
            #expect(report.filesRead == sections)
        } else {
            #expect(report.filesRead == files, "\(damage)")
        }
        #expect(site.tree() == built)
        try FileManager.default.removeItem(at: cache.appendingPathComponent(BuildCache.stateName))
        let again = build(site)
        #expect(again.succeeded && !again.diagnostics.contains { $0.code == .unusableBuildCache }, "\(damage)")
        // The bodies that failed their check were rendered again from their files, and their records let go: the
        // next build reads those files again (the draft's body was not needed, its record stays).
        #expect(again.filesRead == (damage == "body" ? files - 1 : sections), "\(damage)")
        #expect(site.tree() == built)
        let left = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".tmp") }
        #expect(left.isEmpty)
    }

    /// The page digests (`.lanmu-cache/pages`) cut short or altered: W009, every job rendered and compared, the
    /// output is a clean build's, and the next build has good digests again.
    @Test(arguments: ["truncated", "altered"])
    func unusablePageDigestsAreReportedAndIgnored(_ damage: String) throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let pages = site.root.appendingPathComponent(BuildCache.folderName + "/" + PageDigests.fileName)
        var bytes = try [UInt8](Data(contentsOf: pages))
        if damage == "truncated" { bytes.removeLast(20) } else { bytes[bytes.count / 2] ^= 0x01 }
        try Data(bytes).write(to: pages)
        try site.write(
            TestSite.article("文章3", date: "2025-03-03 09:00", body: "改了。"), to: "content/sanfuwu/shixian/a03.md")
        try settle(site, step: 1)
        let report = build(site)
        #expect(report.succeeded && report.updatedInPlace && report.filesSkipped == 0)
        let warnings = report.diagnostics.filter { $0.code == .unusableBuildCache }
        #expect(warnings.count == 1 && warnings.first?.location.file.hasSuffix("pages") == true, "\(damage)")
        #expect(site.tree() == fullBuild(site.options))
        try site.write(
            TestSite.article("文章3", date: "2025-03-03 09:00", body: "又改了。"), to: "content/sanfuwu/shixian/a03.md")
        try settle(site, step: 2)
        let again = build(site)
        #expect(again.filesSkipped > 0 && !again.diagnostics.contains { $0.code == .unusableBuildCache })
        #expect(site.tree() == fullBuild(site.options))
    }

    /// A build without the cache between two with it: the digests of the first describe an output that is gone, and
    /// the third build must not trust them (the inputs are the first's again, and every page has its size).
    @Test func aBuildWithoutTheCacheLeavesNoDigests() throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let first = site.tree()
        let original = try site.read("content/sanfuwu/shixian/a03.md")
        try site.write(
            TestSite.article("文章8", date: "2025-03-03 09:00", body: "正文！"), to: "content/sanfuwu/shixian/a03.md")
        #expect(build(site, cache: false).succeeded)
        #expect(site.tree() != first)
        try site.write(original, to: "content/sanfuwu/shixian/a03.md")
        try settle(site, step: 1)
        #expect(build(site).succeeded)
        #expect(site.tree() == first)
    }

    /// A failed build keeps the records as they were (what it appended is cut off again) and leaves no half-written
    /// file.
    @Test func aFailedBuildKeepsTheRecords() throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let cache = site.root.appendingPathComponent(BuildCache.folderName)
        let files = [RecordCache.fileName, RecordCache.indexName]
        let before = try files.map { try Data(contentsOf: cache.appendingPathComponent($0)) }
        try site.write("---\ntitle: 缺日期\n---\n\n正文。\n", to: "content/sanfuwu/shixian/bad.md")
        try site.write(
            TestSite.article("文章3", date: "2025-03-03 09:00", body: "改了。"), to: "content/sanfuwu/shixian/a03.md")
        try settle(site, step: 1)
        #expect(!build(site).succeeded)
        #expect(try files.map { try Data(contentsOf: cache.appendingPathComponent($0)) } == before)
        let left = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".tmp") }
        #expect(left.isEmpty)
    }

    /// A build appends the records of the files it parsed and leaves the rest of the file as it was; when garbage
    /// (records of changed and removed files) outweighs the live records, they are copied into a new file. Each
    /// step's output is a clean build's, and the next build takes the records.
    @Test func recordsAreAppendedAndCompacted() throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let records = site.root.appendingPathComponent(BuildCache.folderName + "/" + RecordCache.fileName)
        let first = try Data(contentsOf: records)
        let (files, sections) = markdown(site)
        try site.write(
            TestSite.article("文章3", date: "2025-03-03 09:00", body: "改了一处。"), to: "content/sanfuwu/shixian/a03.md")
        try settle(site, step: 1)
        let edit = build(site)
        #expect(edit.succeeded && edit.filesRead == sections + 1)
        #expect(site.tree() == fullBuild(site.options))
        let second = try Data(contentsOf: records)
        // The old bytes stay; one record is added (its metadata and its body, a few hundred bytes).
        #expect(second.prefix(first.count) == first && second.count > first.count)
        #expect(second.count - first.count < first.count / 3)
        // Most articles removed: the garbage outweighs the live records, which move into a new, smaller file.
        for number in [1, 2, 5, 6, 7] { try site.remove("content/sanfuwu/shixian/a0\(number).md") }
        let removal = build(site)
        #expect(removal.succeeded && removal.filesRead == sections)
        #expect(site.tree() == fullBuild(site.options))
        let third = try Data(contentsOf: records)
        #expect(third.count < first.count / 2 && third.prefix(26) != first.prefix(26))
        // The compacted file serves the next build: only the edited file is read.
        try site.write(
            TestSite.article("文章3", date: "2025-03-03 09:00", body: "再改。"), to: "content/sanfuwu/shixian/a03.md")
        try settle(site, step: 2)
        let again = build(site)
        #expect(again.succeeded && again.filesRead == sections + 1 && files > sections + 2)
        #expect(!again.diagnostics.contains { $0.code == .unusableBuildCache })
        #expect(site.tree() == fullBuild(site.options))
    }

    /// Bytes a killed build appended after the last committed record (no index names them) are cut off by the next
    /// build, without a warning: the index says where the file ends.
    @Test func bytesLeftByAKilledBuildAreCutOff() throws {
        let site = try Self.site()
        try age(site)
        #expect(build(site).succeeded)
        let records = site.root.appendingPathComponent(BuildCache.folderName + "/" + RecordCache.fileName)
        let first = try Data(contentsOf: records)
        let handle = try FileHandle(forWritingTo: records)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0xAB, count: 1000))
        try handle.close()
        let (_, sections) = markdown(site)
        try site.write(
            TestSite.article("文章3", date: "2025-03-03 09:00", body: "改了。"), to: "content/sanfuwu/shixian/a03.md")
        try settle(site, step: 1)
        let report = build(site)
        #expect(report.succeeded && report.filesRead == sections + 1)
        #expect(!report.diagnostics.contains { $0.code == .unusableBuildCache })
        #expect(site.tree() == fullBuild(site.options))
        let after = try Data(contentsOf: records)
        #expect(after.prefix(first.count) == first && !after.dropFirst(first.count).starts(with: [0xAB, 0xAB]))
        // New files a build killed while it wrote them (a compaction, a new index) go too.
        let cache = site.root.appendingPathComponent(BuildCache.folderName)
        for name in [RecordCache.fileName + ".99999.tmp", RecordCache.indexName + ".99999.tmp"] {
            try Data(repeating: 1, count: 100).write(to: cache.appendingPathComponent(name))
        }
        try site.write(
            TestSite.article("文章3", date: "2025-03-03 09:00", body: "又改了。"), to: "content/sanfuwu/shixian/a03.md")
        try settle(site, step: 2)
        #expect(build(site).succeeded)
        let left = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".tmp") }
        #expect(left.isEmpty)
        #expect(site.tree() == fullBuild(site.options))
    }

    /// A record gives back exactly what parsing the file gave: front matter, rendered body and its findings, the
    /// search text and the diagnostics. The field counts fail when a type gains a field the record does not carry.
    @Test func aRecordRoundTrips() throws {
        let settings = SiteSettings()
        let parser = DocumentParser(
            settings: settings,
            renderer: MarkdownRenderer(options: .init(rawHTML: false, cjkEmphasis: true, collectsText: true)),
            searchWords: SearchWords())
        let text = """
            ---
            title: 全面的文章
            date: 2025-03-02 09:00
            source: 本站
            author: 张三
            editor: 李四
            summary: 摘要
            tags: [甲, 乙]
            slug: quan-mian
            pinned: true
            id: "123"
            aliases: [/old/1.html]
            index_no: 001-2025
            issuer: 某局
            written_date: 2025-03-01
            doc_no: 某〔2025〕1号
            topic: 综合
            validity: 有效
            attachments:
              - a.pdf | 附件一
              - b.docx
            unknown_key: 1
            ---

            # 标题 Heading

            见[另一篇](b.md#x)、[锚点](#y)、[文件](tu.png?v=1)和[外站](https://example.com)。![](tu.png)

            <span>HTML</span> 正文 word 123。
            """
        let (parsed, _, diagnostics) = parser.read(
            Array(text.utf8), contentPath: "a/b/c.md", file: "content/a/b/c.md", revision: 3)
        let document = try #require(parsed)
        #expect(!diagnostics.isEmpty && !document.rendered.references.isEmpty)
        let bytes = RecordCache.encode(document, diagnostics: diagnostics)
        let decoded = try #require(
            bytes.withUnsafeBytes {
                RecordCache.decode($0, path: "a/b/c.md", file: "content/a/b/c.md", parser: parser, revision: 3)
            })
        #expect(decoded.0.frontMatter == document.frontMatter)
        // The body is not in the metadata: it follows it in the file.
        var withoutBody = document.rendered
        withoutBody.html = ""
        #expect(decoded.0.rendered == withoutBody && !document.rendered.html.isEmpty)
        #expect(decoded.0.bodyFirstLine == document.bodyFirstLine && decoded.0.revision == 3)
        #expect(decoded.0.search?.text == document.search?.text && decoded.0.search?.digest == document.search?.digest)
        #expect(decoded.0.search?.entries == document.search?.entries)
        #expect(decoded.1 == diagnostics)
        // Any byte cut off is noticed.
        for cut in [1, 9, bytes.count / 2] {
            let short = Array(bytes.dropLast(cut))
            #expect(
                short.withUnsafeBytes {
                    RecordCache.decode($0, path: "a/b/c.md", file: "content/a/b/c.md", parser: parser, revision: 3)
                } == nil)
        }
        // Nine: `digest` is made from the record's checksum, not kept in it.
        #expect(Mirror(reflecting: document).children.count == 9)
        #expect(decoded.0.digest == 0 && document.digest == 0)
        #expect(Mirror(reflecting: document.frontMatter).children.count == 16)
        #expect(Mirror(reflecting: document.frontMatter.information).children.count == 6)
        #expect(Mirror(reflecting: document.frontMatter.attachments[0]).children.count == 3)
        #expect(Mirror(reflecting: document.rendered).children.count == 8)
        #expect(Mirror(reflecting: document.rendered.references[0]).children.count == 4)
    }

    /// In place or through a staging folder: each file added, changed or removed counts once against a quarter of
    /// the listed files.
    @Test func fewChangedCountsEachChangeOnce() {
        func signature(_ size: Int64) -> FileSignature {
            FileSignature(modified: 1, modifiedNanoseconds: 0, size: size, inode: UInt64(size))
        }
        let before = ["a.md": signature(1), "b.md": signature(2), "c.md": signature(3), "d.md": signature(4)]
        let state = BuildCache.State(
            key: "k", content: before, templates: [:], output: signature(0), sameOutputUntil: nil, articleCount: 4,
            pageCount: 4, fileCount: 4, heldBack: [], diagnostics: [])
        func few(_ signatures: [String: FileSignature]) -> Bool {
            var listing = ContentLoader.Listing()
            listing.signatures = signatures
            return Generator.fewChanged(since: state, listing: listing, templates: ContentLoader.Listing())
        }
        var one = before
        one["b.md"] = signature(9)
        #expect(few(before) && few(one))
        var two = one
        two["d.md"] = nil
        two["e.md"] = signature(5)
        #expect(!few(two))
        var removed = before
        removed["a.md"] = nil
        #expect(!few(removed))  // one of three listed files
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
