import ArgumentParser
import Foundation
import LanmuCore
import LanmuCounter

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "生成网站",
        discussion: """
            生成站点到输出目录（默认 public/）。出错时原来的输出保持不变。
            生成缓存在站点的 .lanmu-cache/ 里：内容和模板都没变时不再生成；--no-cache 不用缓存，完整生成。
            --changes 把新增、改动、删除的输出文件写进一个文件（每行 A/M/D 加路径），给部署脚本用。

            例如：
              lanmu build --output public
              lanmu build --site 网站目录 --base-url https://www.example.gov.cn
              lanmu build --counts counts.csv
              lanmu build --changes changes.txt
            """)

    @OptionGroup var folders: SiteFolders
    @OptionGroup var output: OutputFolder
    @OptionGroup var publishing: Publishing
    @Option(name: .customLong("base-url"), help: "覆盖站点设置 base_url") var baseURL: String?
    @Option(help: "把这个 CSV（lanmu counter export 导出）里的浏览次数写进文章页") var counts: String?
    @Option(name: .customLong("changes"), help: "把新增（A）、改动（M）、删除（D）的输出文件写进这个文件，每行一个")
    var changes: String?
    @Flag(name: .customLong("no-cache"), help: "不用生成缓存（.lanmu-cache/），完整生成") var noCache = false

    func run() throws {
        var options = folders.buildOptions(output: output.output)
        publishing.apply(to: &options)
        options.baseURL = baseURL
        if let counts { options.counts = try Self.readCounts(counts) }
        options.exitsAfterBuild = true
        options.usesCache = !noCache
        options.listsRemovedFiles = changes != nil
        let started = Date()
        let outcome = StoppableRun.run(with: options) { options in
            Generator(options: options).build(now: started) { Console.printError($0) }
        }
        let report = try outcome.reportOrStop()
        Console.print(report.diagnostics)
        guard report.succeeded else {
            Console.printError("生成失败：\(Console.counts(report.diagnostics))；输出目录没有改动。")
            throw ExitCode(1)
        }
        if let changes {
            do {
                try Data(report.changes.lines.utf8).write(to: URL(fileURLWithPath: changes))
            } catch {
                Console.printError("lanmu build: 无法写入 \(changes)：\(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
        if report.nothingChanged {
            Swift.print(
                "内容和模板都没有变化，输出保持不变（\(report.pageCount) 个页面，共 \(report.fileCount) 个文件，文章 \(report.articleCount) 篇），用时 \(seconds) 秒；\(Console.counts(report.diagnostics))。"
            )
            if let heldBack = report.heldBackSummary { Swift.print("\(heldBack)（lanmu check 列出它们）。") }
            return
        }
        Swift.print(
            "已生成 \(report.pageCount) 个页面（共 \(report.fileCount) 个文件，文章 \(report.articleCount) 篇），用时 \(seconds) 秒；\(Console.counts(report.diagnostics))。"
        )
        if let heldBack = report.heldBackSummary { Swift.print("\(heldBack)（lanmu check 列出它们）。") }
    }

    /// The counts of a `--counts` file; a file that cannot be read or has a bad line stops the build (status 2).
    static func readCounts(_ path: String) throws -> [String: Int] {
        guard let data = FileManager.default.contents(atPath: path) else {
            Console.printError("lanmu build: 读不到 --counts 文件 \(path)")
            throw ExitCode(2)
        }
        let (counts, problems) = CounterCSV.counts(in: String(decoding: data, as: UTF8.self))
        guard problems.isEmpty else {
            for problem in problems { Console.printError("\(path):\(problem.line): 错误：\(problem.text)") }
            Console.printError("lanmu build: --counts 文件有 \(problems.count) 行不对（要写成 id,次数）；没有生成。")
            throw ExitCode(2)
        }
        return counts
    }
}
