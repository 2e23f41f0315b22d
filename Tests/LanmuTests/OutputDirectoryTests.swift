import Foundation
import Testing

@testable import LanmuCore

/// The output folder's safety checks, the staging folder beside it and the swap, and the writer that fills the
/// staging folder; each test in a fresh temporary folder. (Whole builds that refuse folders or keep `public/` are
/// in `GeneratorTests` and `BadInputTests`.)
@Suite struct OutputDirectoryTests {
    /// A fresh folder holding a site with `content/` and `templates/`.
    let root: URL
    let site: URL

    init() throws {
        root = testScratch.appendingPathComponent("output-\(UUID().uuidString)")
        site = root.appendingPathComponent("站点")
        for folder in ["content/三服务", "templates"] {
            try FileManager.default.createDirectory(
                at: site.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    func write(_ text: String, to path: String) throws {
        let file = url(path)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: false, encoding: .utf8)
    }

    func read(_ path: String) throws -> String { try String(contentsOf: url(path), encoding: .utf8) }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: url(path).path) }

    func entries(_ path: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(path).path).sorted()
    }

    func inode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: url(path).path)[.systemFileNumber] as? Int)
    }

    /// The problem with `path` (below the temporary folder unless absolute) as an output, as the build shows it.
    func problem(_ path: String) -> String? {
        let output = OutputDirectory(
            url: path.hasPrefix("/") ? URL(fileURLWithPath: path) : url(path), display: "public")
        return output.problem(
            siteRoot: site,
            protected: [site.appendingPathComponent("content"), site.appendingPathComponent("templates")]
        )?.description
    }

    static let containsSite = """
        public:1:1: 错误 E013: 输出目录 public 包含站点或它的内容、模板；生成时它会被整体替换
            提示: 用 --output 指定一个单独的目录，例如 public
        """

    static let insideContent = """
        public:1:1: 错误 E013: 输出目录 public 位于内容或模板目录里
            提示: 用 --output 指定 content/ 和 templates/ 之外的目录，例如 public
        """

    @Test(
        arguments: [
            ("站点/public", nil), ("public", nil), ("站点/content-public", nil), ("站点/templates.old", nil),
            ("站点/a/b/c", nil), ("站点", containsSite), ("", containsSite), ("站点/content", containsSite),
            ("站点/templates", containsSite), ("站点/content/../templates", containsSite), ("站点/public/..", containsSite),
            ("站点/content/三服务", insideContent), ("站点/content/新/public", insideContent),
            ("站点/templates/public", insideContent),
        ] as [(String, String?)])
    func outputsThatWouldReplaceTheSiteAreRefused(path: String, expected: String?) {
        #expect(problem(path) == expected)
    }

    @Test func theRootAndTheHomeFolderAreRefused() {
        #expect(
            problem("/") == """
                public:1:1: 错误 E013: 输出目录不能是根目录或主目录（/）
                    提示: 用 --output 指定一个单独的目录，例如 public
                """)
        let home = FileManager.default.homeDirectoryForCurrentUser.resolvingSymlinksInPath().path
        #expect(
            problem(home) == """
                public:1:1: 错误 E013: 输出目录不能是根目录或主目录（\(home)）
                    提示: 用 --output 指定一个单独的目录，例如 public
                """)
    }

    /// A link is followed to the folder it names.
    @Test func aLinkToTheContentIsTheContent() throws {
        try FileManager.default.createSymbolicLink(
            at: url("link"), withDestinationURL: site.appendingPathComponent("content"))
        #expect(problem("link") == Self.containsSite)
        #expect(problem("link/三服务") == Self.insideContent)
    }

    /// A folder the build has not made yet, below a link into the content, would be made inside the content.
    @Test func aNewFolderBelowALinkToTheContentIsInsideTheContent() throws {
        try FileManager.default.createSymbolicLink(
            at: url("link"), withDestinationURL: site.appendingPathComponent("content"))
        #expect(problem("link/public") == Self.insideContent)
    }

    @Test func anExistingFileIsNotAnOutputFolder() throws {
        try write("笔记", to: "public")
        #expect(
            problem("public") == """
                public:1:1: 错误 E013: 输出路径 public 是一个文件，不是目录
                    提示: 删除或改名这个文件，或用 --output 指定别的目录
                """)
    }

    /// Only an empty folder or one marked as Lanmu's output may be replaced; a hidden file counts as a file.
    @Test(
        arguments: [
            ([], nil), ([OutputDirectory.markerName], nil), ([OutputDirectory.markerName, "index.html"], nil),
            (["index.html"], "index.html"), ([".git/HEAD"], ".git/HEAD"), (["sub/.lanmu-output"], "sub/.lanmu-output"),
        ] as [([String], String?)])
    func onlyEmptyOrMarkedFoldersAreReplaced(files: [String], foreign: String?) throws {
        try FileManager.default.createDirectory(at: url("public"), withIntermediateDirectories: true)
        for file in files { try write("x", to: "public/\(file)") }
        #expect(
            problem("public")
                == foreign.map { _ in
                    """
                    public:1:1: 错误 E013: 输出目录 public 里已有文件，但不是 lanmu 生成的（没有 .lanmu-output），为安全起见不会替换它
                        提示: 确认里面的文件可以删除后清空这个目录，或用 --output 指定一个新目录
                    """
                })
    }

    @Test func theStagingFolderIsNewAndEmptyBesideTheOutput() throws {
        let output = OutputDirectory(url: url("深/public"), display: "public")
        let staging = try output.makeStaging()
        #expect(staging.path == url("深/.public.lanmu-staging-\(getpid())").path)
        #expect(try entries("深/.public.lanmu-staging-\(getpid())") == [])
        #expect(!exists("深/public"))
        // Made again (a build in the same process), it is emptied.
        try write("半成品", to: "深/.public.lanmu-staging-\(getpid())/index.html")
        #expect(try output.makeStaging().path == staging.path)
        #expect(try entries("深/.public.lanmu-staging-\(getpid())") == [])
    }

    /// Leftovers of ended builds are removed; the staging folder of a build still running is not, nor anything
    /// else beside the output.
    @Test func stagingRemovesOnlyLeftoversOfEndedBuilds() throws {
        let running = Process()
        running.executableURL = URL(fileURLWithPath: "/bin/sleep")
        running.arguments = ["30"]
        try running.run()
        defer {
            kill(running.processIdentifier, SIGKILL)
            running.waitUntilExit()
        }
        let others = [
            ".public.lanmu-staging-\(running.processIdentifier)", ".other.lanmu-staging-999999999", "public-notes",
            ".public.lanmu-stagin-999999999",
        ]
        for name in others + [".public.lanmu-staging-999999999", ".public.lanmu-staging-abc"] {
            try write("x", to: "\(name)/index.html")
        }
        try write("旧的", to: "public/index.html")
        _ = try OutputDirectory(url: url("public"), display: "public").makeStaging()
        #expect(try entries() == (others + [".public.lanmu-staging-\(getpid())", "public", "站点"]).sorted())
        #expect(try read("public/index.html") == "旧的")
    }

    @Test func aFirstOutputIsMovedIntoPlace() throws {
        let output = OutputDirectory(url: url("新/目录/public"), display: "public")
        let staging = try output.makeStaging()
        try write("新的", to: "新/目录/.public.lanmu-staging-\(getpid())/首页.html")
        let before = try inode("新/目录/.public.lanmu-staging-\(getpid())")
        try output.replace(with: staging)
        #expect(try entries("新/目录") == ["public"])
        #expect(try read("新/目录/public/首页.html") == "新的")
        #expect(try inode("新/目录/public") == before, "moved, not copied")
    }

    /// When the output's folder is missing (removed during the build), the swap makes it.
    @Test func aMissingParentIsMadeForTheFirstOutput() throws {
        let staging = url("staging")
        try write("新的", to: "staging/index.html")
        try OutputDirectory(url: url("a/b/public"), display: "public").replace(with: staging)
        #expect(try read("a/b/public/index.html") == "新的")
        #expect(!exists("staging"))
    }

    @Test func thePreviousOutputIsReplacedAsAWhole() throws {
        try write("旧的", to: "public/only-old.html")
        try write("旧的", to: "public/index.html")
        let output = OutputDirectory(url: url("public"), display: "public")
        let staging = try output.makeStaging()
        try write("新的", to: ".public.lanmu-staging-\(getpid())/index.html")
        let before = try inode(".public.lanmu-staging-\(getpid())")
        try output.replace(with: staging)
        #expect(try entries() == ["public", "站点"], "no staging or old folder is left")
        #expect(try entries("public") == ["index.html"])
        #expect(try read("public/index.html") == "新的")
        #expect(try inode("public") == before)
    }

    /// A build that fails never calls `replace`: it drops its staging folder and the previous output stays.
    @Test func droppingTheStagingFolderKeepsThePreviousOutput() throws {
        try write("旧的", to: "public/index.html")
        let output = OutputDirectory(url: url("public"), display: "public")
        let staging = try output.makeStaging()
        try write("半成品", to: ".public.lanmu-staging-\(getpid())/index.html")
        try FileManager.default.removeItem(at: staging)
        #expect(try entries() == ["public", "站点"])
        #expect(try read("public/index.html") == "旧的")
    }

    /// A swap that fails must leave the previous output where it was. Here the staging folder is gone, so the
    /// exchange fails and the fallback has already renamed the output away when its second rename fails.
    @Test func aFailedSwapKeepsThePreviousOutput() throws {
        try write("旧的", to: "public/index.html")
        let output = OutputDirectory(url: url("public"), display: "public")
        let staging = try output.makeStaging()
        try FileManager.default.removeItem(at: staging)
        #expect(throws: (any Error).self) { try output.replace(with: staging) }
        #expect(try read("public/index.html") == "旧的")
    }

    // MARK: - FileTreeWriter

    @Test func foldersOfFilesAreTheirParents() {
        #expect(
            FileTreeWriter.folders(of: ["a/b/index.html", "index.html", "三服务/index.xml", "a/b/c/"])
                == ["a/b", "", "三服务", "a/b/c"])
    }

    @Test func foldersAreMadeWithTheirParents() throws {
        try FileManager.default.createDirectory(at: url("out/已有"), withIntermediateDirectories: true)
        let writer = FileTreeWriter(root: url("out"))
        try writer.makeDirectories(["三服务/市县/page/2", "", "已有", "三服务", "a"])
        try writer.makeFolder(of: "深/层/index.html")
        try writer.makeFolder(of: "index.html")
        #expect(try entries("out") == ["a", "三服务", "已有", "深"])
        #expect(try entries("out/三服务/市县/page") == ["2"])
        #expect(try entries("out/深") == ["层"])
    }

    @Test func aFileInTheWayOfAFolderIsAnErrorWithThePath() throws {
        try write("x", to: "out/a")
        let writer = FileTreeWriter(root: url("out"))
        #expect {
            try writer.makeDirectories(["a/b"])
        } throws: { error in
            (error as? SystemCallError)?.description == url("out").path + "/a/b: Not a directory"
        }
        #expect {
            try writer.makeDirectories(["a"])
        } throws: { error in
            (error as? SystemCallError)?.description == url("out").path + "/a: File exists"
        }
    }

    @Test func filesAreWrittenWholeAndReplaceLongerOnes() throws {
        try FileManager.default.createDirectory(at: url("out/三服务"), withIntermediateDirectories: true)
        let writer = FileTreeWriter(root: url("out"))
        try writer.write("很长很长的旧内容", to: "三服务/index.html")
        try writer.write("新", to: "三服务/index.html")
        try writer.write([0, 0xFF, 0x41], to: "bytes.bin")
        #expect(try read("out/三服务/index.html") == "新")
        #expect(try Data(contentsOf: url("out/bytes.bin")) == Data([0, 0xFF, 0x41]))
    }

    @Test func writingIntoAMissingFolderIsAnErrorWithThePath() throws {
        try FileManager.default.createDirectory(at: url("out"), withIntermediateDirectories: true)
        #expect {
            try FileTreeWriter(root: url("out")).write("x", to: "无/index.html")
        } throws: { error in
            (error as? SystemCallError)?.description == url("out").path + "/无/index.html: No such file or directory"
        }
    }

    /// A file whose bytes are those of the previous output's is linked from there, not written; any other is
    /// written anew, and the previous file is left as it was.
    @Test func identicalFilesAreLinkedFromThePreviousOutput() throws {
        try write("相同", to: "old/same.html")
        try write("旧的", to: "old/changed.html")
        try write("旧的长一些", to: "old/longer.html")
        try write("源", to: "source.css")
        try write("源", to: "old/copied.css")
        try FileManager.default.createSymbolicLink(at: url("old/link.html"), withDestinationURL: url("old/same.html"))
        try FileManager.default.createDirectory(at: url("new"), withIntermediateDirectories: true)
        let writer = FileTreeWriter(root: url("new"), previous: url("old"))
        for name in ["same.html", "changed.html", "longer.html", "link.html", "absent.html"] {
            try writer.write(name == "same.html" || name == "link.html" ? "相同" : "新的", to: name)
        }
        try writer.copy(from: url("source.css"), to: "copied.css")
        #expect(try inode("new/same.html") == inode("old/same.html"))
        #expect(try inode("new/copied.css") == inode("old/copied.css"))
        #expect(try inode("new/changed.html") != inode("old/changed.html"))
        #expect(try inode("new/longer.html") != inode("old/longer.html"))
        #expect(try inode("new/link.html") != inode("old/same.html"), "a link in the old output is not followed")
        #expect(try read("new/changed.html") == "新的")
        #expect(try read("old/changed.html") == "旧的")
        #expect(try read("new/absent.html") == "新的")
    }

    @Test func withoutAPreviousOutputFilesAreCopied() throws {
        try write("源", to: "source.css")
        try FileManager.default.createDirectory(at: url("new"), withIntermediateDirectories: true)
        try FileTreeWriter(root: url("new")).copy(from: url("source.css"), to: "copied.css")
        #expect(try read("new/copied.css") == "源")
        #expect(try inode("new/copied.css") != inode("source.css"))
    }
}
