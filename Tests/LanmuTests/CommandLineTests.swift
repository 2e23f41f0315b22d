import ArgumentParser
import Foundation
import Testing

@testable import LanmuCommandLine
@testable import LanmuCore

/// Runs the real `lanmu` executable: exit statuses and what editors read on the terminal.
@Suite struct CommandLineTests {
    static let executable: URL = {
        let beside = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("lanmu")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return repositoryRoot.appendingPathComponent(".build/debug/lanmu")
    }()

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    func lanmu(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = directory
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }

    @Test(arguments: [
        (
            ["biuld"],
            """
            lanmu: 没有“biuld”这个命令，是不是想写 build？
                提示: 可用的命令：build（生成网站）、serve（本机预览）、check（只检查，不写文件）、new（新建文章）、audit（按政府网站检查指标自查）、init（新建网站）、theme（自带主题）、counter（浏览次数计数服务）、import（导入旧网站的文章）；lanmu --help 查看说明
            """
        ),
        (
            ["build", "--outptu", "out"],
            """
            lanmu build: 没有 --outptu 这个选项，是不是想写 --output？
                提示: lanmu build --help 列出所有选项
            """
        ),
        (
            ["build", "--output"],
            """
            lanmu build: --output 后面要写一个值
                提示: 例如 lanmu build --output public
            """
        ),
        (
            ["serve", "--port", "八千"],
            """
            lanmu serve: 端口“八千”不是 0 到 65535 之间的数字
                提示: 例如 --port 8000（0 表示任选一个空闲端口）
            """
        ),
        (
            ["build", "public"],
            """
            lanmu build: 多了一个参数“public”：这个命令不需要其他参数
                提示: 例如 lanmu build --output public
            """
        ),
        (
            ["theme", "exprot", "templates"],
            """
            lanmu theme: 没有“exprot”这个命令，是不是想写 export？
                提示: 可用的命令：export（把自带主题写到目录里，以便修改）；lanmu theme --help 查看说明
            """
        ),
        (
            ["theme", "export"],
            """
            lanmu theme export: 缺少参数：要写导出的目录
                提示: 例如 lanmu theme export templates
            """
        ),
        (
            ["new", "sanfuwu/shixian"],
            """
            lanmu new: 缺少参数：要写栏目路径和文章标题
                提示: 例如 lanmu new sanfuwu/shixian "文章标题"
            """
        ),
    ])
    func typingMistakesAreToldInChinese(arguments: [String], expected: String) throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let run = try lanmu(arguments, in: site.root)
        #expect(run.status == 2)
        #expect(run.errors == expected + "\n")
        #expect(!site.exists("public"), "nothing was built")
    }

    /// `--changes` lists what a build added, changed and removed; with nothing changed the file is empty and the
    /// build says so; `--no-cache` builds in full.
    @Test func changesAreListedForDeployScripts() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        #expect(try lanmu(["build", "--changes", "c.txt"], in: site.root).status == 0)
        #expect(try site.read("c.txt").contains("A sanfuwu/shixian/a02/index.html\n"))
        try site.remove("content/sanfuwu/shixian/a02.md")
        #expect(try lanmu(["build", "--changes", "c.txt", "--no-cache"], in: site.root).status == 0)
        #expect(try site.read("c.txt").contains("D sanfuwu/shixian/a02/index.html\n"))
        // Inputs settled long ago: the next build finds nothing changed in the cache.
        for path in [
            "content/_index.md", "content/sanfuwu/_index.md", "content/sanfuwu/shixian/_index.md",
            "content/sanfuwu/shixian/a01.md",
        ]
            + (try FileManager.default.subpathsOfDirectory(
                atPath: site.root.appendingPathComponent("templates").path)).map({ "templates/" + $0 })
        {
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-3600)],
                ofItemAtPath: site.root.appendingPathComponent(path).path)
        }
        #expect(try lanmu(["build"], in: site.root).status == 0)
        let run = try lanmu(["build", "--changes", "c.txt"], in: site.root)
        #expect(run.status == 0 && run.output.contains("内容和模板都没有变化"), "\(run.output)")
        #expect(try site.read("c.txt") == "")
    }

    @Test func optionsWrittenEveryValidWayStillWork() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        #expect(try lanmu(["build", "--output=out", "--drafts"], in: site.root).status == 0)
        #expect(
            try lanmu(
                ["build", "--site", site.root.path, "--output", "out2", "--base-url", "https://a.example"],
                in: site.root
            ).status == 0)
        #expect(try lanmu(["check", "--future"], in: site.root).status == 0)
        #expect(try lanmu(["new", "--site", ".", "sanfuwu/shixian", "--", "-标题"], in: site.root).status == 0)
        #expect(try lanmu(["build", "--help"], in: site.root).output.contains("--base-url"))
        #expect(try lanmu(["--help"], in: site.root).output.contains("build"))
    }

    /// The vocabulary the Chinese usage messages are made from lists exactly the commands and options the parser
    /// of the real executable accepts.
    @Test func theUsageVocabularyMatchesTheParser() throws {
        let run = try lanmu(["--experimental-dump-help"], in: FileManager.default.temporaryDirectory)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let command = try #require(root["command"] as? [String: Any])
        var parsed: [String: (options: Set<String>, flags: Set<String>, arguments: Int)] = [:]
        func read(_ command: [String: Any], path: String) throws {
            for subcommand in command["subcommands"] as? [[String: Any]] ?? [] {
                let name = try #require(subcommand["commandName"] as? String)
                guard name != "help" else { continue }
                var entry: (options: Set<String>, flags: Set<String>, arguments: Int) = ([], [], 0)
                for argument in subcommand["arguments"] as? [[String: Any]] ?? [] {
                    let kind = argument["kind"] as? String
                    let long = (argument["names"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "long" }
                        .compactMap { $0["name"] as? String }
                    switch kind {
                    case "option": entry.options.formUnion(long)
                    case "flag": entry.flags.formUnion(long.filter { $0 != "help" })
                    case "positional": entry.arguments += 1
                    default: Issue.record("unknown kind \(kind ?? "nil")")
                    }
                }
                parsed[path + name] = entry
                try read(subcommand, path: path + name + " ")
            }
        }
        try read(command, path: "")
        func long(_ names: Set<String>) -> Set<String> {
            Set(names.filter { $0.hasPrefix("--") && $0 != "--help" }.map { String($0.dropFirst(2)) })
        }
        var named: [String: CommandVocabulary.Command] = [:]
        func collect(_ commands: [CommandVocabulary.Command], path: String) {
            for command in commands {
                named[path + command.name] = command
                collect(command.subcommands, path: path + command.name + " ")
            }
        }
        collect(CommandVocabulary.lanmu.commands, path: "")
        #expect(Set(parsed.keys) == Set(named.keys))
        for (name, table) in named {
            #expect(parsed[name]?.options == long(table.options), "\(name)")
            #expect(parsed[name]?.flags == long(table.flags), "\(name)")
            #expect(parsed[name]?.arguments == table.arguments.count, "\(name)")
            #expect(table.type != nil, "\(name) is found among its parent's subcommands")
        }
    }

    /// The value shown after an option missing its value, for every option of every command: taken from the examples
    /// in the commands' help, else the option's default, else its value name.
    static let optionExamples = [
        ("build --site", "lanmu build --site 网站目录"),
        ("build --content", "lanmu build --content content"),
        ("build --templates", "lanmu build --templates templates"),
        ("build --output", "lanmu build --output public"),
        ("build --base-url", "lanmu build --base-url https://www.example.gov.cn"),
        ("build --changes", "lanmu build --changes changes.txt"),
        ("serve --site", "lanmu serve --site 网站目录"),
        ("serve --content", "lanmu serve --content content"),
        ("serve --templates", "lanmu serve --templates templates"),
        ("serve --host", "lanmu serve --host 127.0.0.1"),
        ("serve --port", "lanmu serve --port 8000"),
        ("check --site", "lanmu check --site 网站目录"),
        ("check --content", "lanmu check --content content"),
        ("check --templates", "lanmu check --templates templates"),
        ("check --output", "lanmu check --output public"),
        ("new --site", "lanmu new --site 网站目录"),
        ("new --content", "lanmu new --content content"),
        ("new --templates", "lanmu new --templates templates"),
        ("audit --site", "lanmu audit --site 网站目录"),
        ("audit --content", "lanmu audit --content content"),
        ("audit --templates", "lanmu audit --templates templates"),
        ("audit --today", "lanmu audit --today 2026-12-04"),
        ("audit --report", "lanmu audit --report 检查报告.html"),
        ("audit --json", "lanmu audit --json audit.json"),
        ("build --counts", "lanmu build --counts counts.csv"),
        ("counter --site", "lanmu counter --site 网站目录"),
        ("counter --db", "lanmu counter --db /var/lib/lanmu/counter.sqlite"),
        ("counter --postgres", "lanmu counter --postgres postgres://lanmu:密码@127.0.0.1:5432/lanmu"),
        ("counter --ids", "lanmu counter --ids public/counter-ids.txt"),
        ("counter --host", "lanmu counter --host 127.0.0.1"),
        ("counter --port", "lanmu counter --port 8081"),
        ("counter --trust-proxy", "lanmu counter --trust-proxy 127.0.0.1"),
        ("counter --allow-origin", "lanmu counter --allow-origin https://www.example.gov.cn"),
        ("counter --rate-limit", "lanmu counter --rate-limit 600"),
        ("counter --output", "lanmu counter --output counts.csv"),
        ("import --site", "lanmu import --site 网站目录"),
        ("import --into", "lanmu import --into content/sanfuwu/shixian"),
        ("import --column-map", "lanmu import --column-map columns.txt"),
        ("import --rules", "lanmu import --rules rules.txt"),
    ]

    @Test(arguments: optionExamples)
    func anOptionWithoutItsValueIsShownWithAnExample(arguments: String, example: String) throws {
        let words = arguments.split(separator: " ").map(String.init)
        let problem = try #require(UsageProblem.first(in: words))
        #expect(problem.description == "lanmu \(words[0]): \(words[1]) 后面要写一个值\n    提示: 例如 \(example)")
    }

    @Test func theTableOfExamplesHasEveryOption() {
        let options = CommandVocabulary.lanmu.commands.flatMap { command in
            command.options.filter { $0.hasPrefix("--") }.map { "\(command.name) \($0)" }
        }
        #expect(Set(options) == Set(Self.optionExamples.map(\.0)), "add a row for a new option")
    }

    /// The examples in the commands' help are commands the parser accepts.
    @Test func theExamplesInTheHelpParse() throws {
        let commands = CommandVocabulary.lanmu.commands
        let examples = (commands + commands.flatMap(\.subcommands)).flatMap(\.examples)
        #expect(examples.count >= 4)
        for example in examples {
            let words = example.split(separator: " ").dropFirst().map(String.init)
            #expect(throws: Never.self, "\(example)") { _ = try Lanmu.parseAsRoot(words) }
            #expect(UsageProblem.first(in: words) == nil, "\(example)")
        }
    }

    /// `lanmu --version`: the version and the commit, or that this is a development build.
    @Test func versionSaysWhatWasBuilt() throws {
        let run = try lanmu(["--version"], in: FileManager.default.temporaryDirectory)
        #expect(run.status == 0)
        #expect(run.output == BuildInfo.versionLine + "\n")
        #expect(run.output.hasPrefix("lanmu \(BuildInfo.version)（"))
    }

    /// `lanmu theme export` writes the default theme; a folder with files in it is refused, naming them, unless
    /// `--force`.
    @Test func themeExportWritesTheThemeAndRefusesAFolderInUse() throws {
        let site = try TestSite(TestSite.column(articles: 1), copyTemplates: false)
        let first = try lanmu(["theme", "export", "mytheme"], in: site.root)
        #expect(first.status == 0, "\(first.errors)")
        #expect(site.tree("mytheme").mapValues { [UInt8]($0) } == DefaultTheme.files)
        try site.write("我的改动\n", to: "mytheme/home.mustache")
        let again = try lanmu(["theme", "export", "mytheme"], in: site.root)
        #expect(again.status == 1)
        #expect(again.errors.contains("不是空的（里面有 article.mustache、assets、base.mustache、home.mustache、list.mustache 等"))
        #expect(try site.read("mytheme/home.mustache") == "我的改动\n")
        #expect(try lanmu(["theme", "export", "--force", "mytheme"], in: site.root).status == 0)
        #expect(site.tree("mytheme").mapValues { [UInt8]($0) } == DefaultTheme.files)
    }

    /// `lanmu init` makes a site that `lanmu build` and `lanmu check` accept without a warning; a folder in use is
    /// refused, naming what is there, and `--force` adds the missing files without touching the others.
    @Test func initMakesASiteThatBuildsAndRefusesAFolderInUse() throws {
        let scratch = try TestSite([:], copyTemplates: false)
        let made = try lanmu(["init", "wangzhan"], in: scratch.root)
        #expect(made.status == 0, "\(made.errors)")
        let site = scratch.root.appendingPathComponent("wangzhan")
        let build = try lanmu(["build"], in: site)
        #expect(build.status == 0, "\(build.errors)")
        #expect(!build.errors.contains("警告"), "\(build.errors)")
        #expect(try lanmu(["check"], in: site).status == 0)
        #expect(scratch.exists("wangzhan/public/xinwen/dongtai/wangzhan-kaitong/index.html"))
        #expect(!scratch.exists("wangzhan/templates"))

        try scratch.write("我的设置\n", to: "used/content/_index.md")
        let refused = try lanmu(["init", "used"], in: scratch.root)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("目录 used 不是空的（里面有 content）"))
        #expect(!scratch.exists("used/README.md"))
        let forced = try lanmu(["init", "--force", "used"], in: scratch.root)
        #expect(forced.status == 0)
        #expect(forced.output.contains("已有的文件没有改动：content/_index.md"))
        #expect(try scratch.read("used/content/_index.md") == "我的设置\n")
        #expect(scratch.exists("used/README.md") && scratch.exists("used/.gitignore"))
    }

    @Test func buildSucceedsWithASummaryLine() throws {
        let site = try TestSite(TestSite.column(articles: 3))
        let run = try lanmu(["build"], in: site.root)
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("已生成 7 个页面（共 "))  // home, topic, column, 3 articles, search
        #expect(run.output.contains("文章 3 篇），用时 "))
        #expect(site.exists("public/sanfuwu/shixian/a01/index.html"))
    }

    @Test func contentErrorsExitWithOneAndPrintTheDiagnostics() throws {
        var files = TestSite.column(articles: 1)
        files["content/sanfuwu/shixian/a01.md"] = "---\ntitle: 标题\ndate: 2020-04-31\n---\n"
        let site = try TestSite(files)
        let run = try lanmu(["build", "--site", site.root.path], in: FileManager.default.temporaryDirectory)
        #expect(run.status == 1)
        #expect(
            run.errors == """
                content/sanfuwu/shixian/a01.md:3:7: 错误 E006: 日期“2020-04-31”不存在：2020 年 4 月没有 31 日（这个月只有 30 天）
                    提示: 改成实际的发布日期，例如 2020-04-30 09:17
                生成失败：1 个错误，0 个警告；输出目录没有改动。

                """)
        #expect(!site.exists("public"))
    }

    /// `![[]()` repeated: quadratic in libcmark 0.30.2 (seconds at a few hundred kilobytes, minutes beyond).
    static let pathologicalArticle =
        "---\ntitle: 病态\ndate: 2020-04-30\n---\n\n" + String(repeating: "![[]()", count: 40000)

    @Test func aRunawayRenderStopsTheBuildWithADiagnosticNamingTheFile() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        #expect(try lanmu(["build"], in: site.root).status == 0)
        let before = site.tree()
        try site.write(Self.pathologicalArticle, to: "content/sanfuwu/shixian/bingtai.md")
        let run = try lanmu(["build"], in: site.root, environment: ["LANMU_RENDER_TIME_LIMIT": "0.2"])
        #expect(run.status == 1)
        #expect(
            run.errors.hasPrefix(
                "content/sanfuwu/shixian/bingtai.md:1:1: 错误 E020: 处理这篇文章（Markdown、链接和页面）超过了 0.2 秒，生成已停止\n"))
        #expect(site.tree() == before)
    }

    /// The watchdog watched only the Markdown render: time spent on an article's page (a template looping over its
    /// list of tags, here 8 million times) ran on without a word. The whole work on an article is watched.
    @Test func aRunawayArticlePageStopsTheBuildLikeARunawayMarkdownRender() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        #expect(try lanmu(["build"], in: site.root).status == 0)
        let before = site.tree()
        let tags = (1...200).map { "  - 标签\($0)\n" }.joined()
        try site.write(
            "---\ntitle: 标签很多\ndate: 2020-04-30\ntags:\n\(tags)---\n\n正文\n", to: "content/sanfuwu/shixian/tags.md")
        let template = try site.read("templates/article.mustache")
        try site.write(
            template
                + "{{#article.tags}}{{#article.tags}}{{#article.tags}}.{{/article.tags}}{{/article.tags}}{{/article.tags}}\n",
            to: "templates/article.mustache")
        let run = try lanmu(["build"], in: site.root, environment: ["LANMU_RENDER_TIME_LIMIT": "0.2"])
        #expect(run.status == 1)
        #expect(
            run.errors.hasPrefix(
                "content/sanfuwu/shixian/tags.md:1:1: 错误 E020: 处理这篇文章（Markdown、链接和页面）超过了 0.2 秒，生成已停止\n"),
            "\(run.errors.prefix(300))")
        #expect(site.tree() == before)
    }

    @Test func aRunawayRenderStopsTheCheckToo() throws {
        var files = TestSite.column(articles: 1)
        files["content/sanfuwu/shixian/bingtai.md"] = Self.pathologicalArticle
        let site = try TestSite(files)
        let run = try lanmu(["check"], in: site.root, environment: ["LANMU_RENDER_TIME_LIMIT": "0.2"])
        #expect(run.status == 1)
        #expect(
            run.errors.hasPrefix(
                "content/sanfuwu/shixian/bingtai.md:1:1: 错误 E020: 处理这篇文章（Markdown、链接和页面）超过了 0.2 秒，生成已停止\n"))
        #expect(run.output.isEmpty)
    }

    @Test(arguments: [["build", "--no-such-flag"], ["frobnicate"], ["new"], ["build", "extra"]])
    func usageErrorsExitWithTwo(arguments: [String]) throws {
        let run = try lanmu(arguments, in: FileManager.default.temporaryDirectory)
        #expect(run.status == 2)
        #expect(!run.errors.isEmpty)
    }

    /// `lanmu import`: a line per page and the summary; a second run imports nothing; a folder that is not there, an
    /// `--into` outside `content/` and a bad column map line are usage errors (2) naming what is wrong.
    @Test func importSaysWhatBecameOfEachPage() throws {
        let site = try TestSite(["content/_index.md": TestSite.home], copyTemplates: false)
        try site.write(SiteImporterTests.hanwebEarlier, to: "old/art/2020/4/29/art_1229_4567889.html")
        try site.write(SiteImporterTests.hanwebColumn, to: "old/col/col1229/index.html")
        let run = try lanmu(["import", "old", "--into", "content/sanfuwu/shixian/"], in: site.root)
        #expect(run.status == 0, "\(run.errors)")
        #expect(
            run.output == """
                导入 /art/2020/4/29/art_1229_4567889.html → content/sanfuwu/shixian/art_1229_4567889.md
                跳过 /col/col1229/index.html：没有正文（列表页或其他页面）
                导入 1 篇，跳过 1 页，失败 0 页。

                """)
        #expect(site.exists("content/sanfuwu/shixian/_index.md"))
        let again = try lanmu(["import", "old"], in: site.root)
        #expect(again.output.hasSuffix("导入 0 篇，跳过 2 页，失败 0 页。\n"))
        let missing = try lanmu(["import", "nowhere"], in: site.root)
        #expect(missing.status == 2)
        #expect(missing.errors == "lanmu import: 找不到旧网站的文件夹 nowhere\n    提示: 写 wget --mirror 保存下来的文件夹\n")
        let outside = try lanmu(["import", "old", "--into", "../x"], in: site.root)
        #expect(outside.status == 2)
        #expect(outside.errors.hasPrefix("lanmu import: --into 要写 content/ 里的栏目目录，不能是“../x”"))
        try site.write("三服务专题 = sanfuwu\n旧栏目\n", to: "map.txt")
        let badMap = try lanmu(["import", "old", "--column-map", "map.txt"], in: site.root)
        #expect(badMap.status == 2)
        #expect(
            badMap.errors == """
                map.txt:2:1: 错误: 这一行不是“旧栏目 = 目录”的形式：旧栏目
                    提示: 每行写“旧网址前缀或面包屑 = content/ 下的目录”

                """)
    }

    @Test func checkWritesNothingAndNewWritesAnArticle() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let check = try lanmu(["check"], in: site.root)
        #expect(check.status == 0)
        #expect(check.output.hasPrefix("检查通过：文章 1 篇"))
        #expect(!site.exists("public"))
        let new = try lanmu(["new", "sanfuwu/shixian", "新文章"], in: site.root)
        #expect(new.status == 0)
        #expect(new.output.hasPrefix("已新建 content/sanfuwu/shixian/"))
        let missing = try lanmu(["new", "nowhere", "新文章"], in: site.root)
        #expect(missing.status == 1)
        #expect(missing.errors.contains("错误 E015: 栏目“nowhere”不存在"))
    }

    /// `lanmu audit`: exit 0 when the site passes, 1 on a veto (with the report's lines and files written), 2 for a
    /// day that is not `YYYY-MM-DD` or not in the calendar.
    @Test func auditExitsByItsVerdict() throws {
        let site = try TestSite(TestSite.column(articles: 3))
        let passing = try lanmu(["audit", "--today", "2025-03-10", "--json", "a.json"], in: site.root)
        #expect(passing.status == 0, "\(passing.errors)")
        #expect(passing.output.contains("检查通过（2025-03-10）"))
        #expect(try site.read("a.json").contains("\"verdict\" : \"pass\""))
        let stale = try lanmu(["audit", "--today", "2025-04-10", "--report", "r.html"], in: site.root)
        #expect(stale.status == 1)
        #expect(stale.output.contains("单项否决 首页不更新"))
        #expect(try site.read("r.html").contains("检查不通过（2025-04-10）"))
        for day in ["2025-02-29", "2025-3-10", "2025-03-10 09:00", "明天"] {
            let bad = try lanmu(["audit", "--today", day], in: site.root)
            #expect(bad.status == 2, "\(day)")
            #expect(bad.errors.contains("--today 应写成 YYYY-MM-DD"), "\(day)")
        }
    }

    @Test func buildAndCheckSayWhatWasHeldBack() throws {
        var files = TestSite.column(articles: 1)
        files["content/sanfuwu/shixian/b-draft.md"] = TestSite.article("草稿", date: "2025-03-05", extra: "draft: true\n")
        files["content/sanfuwu/shixian/c-later.md"] = TestSite.article("定时", date: "2099-12-08 09:00")
        files["content/sanfuwu/shixian/d-draft.md"] = TestSite.article(
            "草稿二", date: "2025-03-06", extra: "draft: true\n")
        let site = try TestSite(files)
        let check = try lanmu(["check"], in: site.root)
        #expect(check.status == 0)
        #expect(
            check.output == """
                检查通过：文章 1 篇；0 个错误，0 个警告。
                另有 2 篇草稿、1 篇定时发布（2099-12-08 09:00）未生成：
                    content/sanfuwu/shixian/b-draft.md: 草稿
                    content/sanfuwu/shixian/c-later.md: 定时发布（2099-12-08 09:00）
                    content/sanfuwu/shixian/d-draft.md: 草稿

                """)
        let build = try lanmu(["build"], in: site.root)
        #expect(build.status == 0)
        #expect(build.output.hasSuffix("个警告。\n另有 2 篇草稿、1 篇定时发布（2099-12-08 09:00）未生成（lanmu check 列出它们）。\n"))
        let withDrafts = try lanmu(["check", "--drafts"], in: site.root)
        #expect(
            withDrafts.output.hasSuffix(
                "个警告。\n另有 1 篇定时发布（2099-12-08 09:00）未生成：\n"
                    + "    content/sanfuwu/shixian/c-later.md: 定时发布（2099-12-08 09:00）\n"))
    }

    @Test func outputAndContentFlagsAreHonoured() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let run = try lanmu(
            [
                "build", "--content", "content", "--templates", "templates", "--output", "out", "--base-url",
                "https://a.example/",
            ],
            in: site.root)
        #expect(run.status == 0)
        #expect(try site.read("out/sitemap.xml").contains("<loc>https://a.example/sanfuwu/shixian/a01/</loc>"))
    }
}
