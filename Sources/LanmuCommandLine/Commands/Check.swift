import ArgumentParser
import Foundation
import LanmuCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "只检查，不写文件",
        discussion: """
            做 build 的全部检查，但不写任何文件；--output 只检查它能否使用。

            例如：
              lanmu check
            """)

    @OptionGroup var folders: SiteFolders
    @OptionGroup var output: OutputFolder
    @OptionGroup var publishing: Publishing

    func run() throws {
        var options = folders.buildOptions(output: output.output)
        publishing.apply(to: &options)
        let outcome = StoppableRun.run(with: options) { options in Generator(options: options).check(now: Date()) }
        let report = try outcome.reportOrStop()
        Console.print(report.diagnostics)
        guard report.succeeded else {
            Console.printError("检查未通过：\(Console.counts(report.diagnostics))。")
            throw ExitCode(1)
        }
        Swift.print("检查通过：文章 \(report.articleCount) 篇；\(Console.counts(report.diagnostics))。")
        if let heldBack = report.heldBackSummary {
            Swift.print(heldBack + "：")
            for article in report.heldBack { Swift.print("    \(article.file): \(article.reasonText)") }
        }
    }
}
