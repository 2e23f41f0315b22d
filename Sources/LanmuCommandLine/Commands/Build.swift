import ArgumentParser
import Foundation
import LanmuCore

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "生成网站",
        discussion: """
            生成站点到输出目录（默认 public/）。出错时原来的输出保持不变。

            例如：
              lanmu build --output public
              lanmu build --site 网站目录 --base-url https://www.example.gov.cn
            """)

    @OptionGroup var folders: SiteFolders
    @OptionGroup var output: OutputFolder
    @OptionGroup var publishing: Publishing
    @Option(name: .customLong("base-url"), help: "覆盖站点设置 base_url") var baseURL: String?

    func run() throws {
        var options = folders.buildOptions(output: output.output)
        publishing.apply(to: &options)
        options.baseURL = baseURL
        options.exitsAfterBuild = true
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
        let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
        Swift.print(
            "已生成 \(report.pageCount) 个页面（共 \(report.fileCount) 个文件，文章 \(report.articleCount) 篇），用时 \(seconds) 秒；\(Console.counts(report.diagnostics))。"
        )
        if let heldBack = report.heldBackSummary { Swift.print("\(heldBack)（lanmu check 列出它们）。") }
    }
}
