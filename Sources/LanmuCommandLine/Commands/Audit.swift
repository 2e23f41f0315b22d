import ArgumentParser
import Foundation
import LanmuCore
import LanmuHTTPClient

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "按政府网站检查指标自查",
        discussion: """
            按全国政府网站检查指标检查站点（不写网站文件）：栏目是否按期更新、空白栏目、首页更新、
            没有显示日期的信息、打不开的链接、网站标识。有单项否决时退出状态为 1。

            例如：
              lanmu audit
              lanmu audit --today 2026-12-04 --report 检查报告.html --json audit.json
              lanmu audit --external
            """)

    @OptionGroup var folders: SiteFolders
    @Option(help: "按哪一天检查，YYYY-MM-DD（默认：今天，站点时区）") var today: String?
    @Option(help: "把报告写成 HTML 文件") var report: String?
    @Option(help: "把报告写成 JSON 文件") var json: String?
    @Flag(help: "也检查站外链接（HEAD，不行再 GET；同时最多 8 个请求、每个网站 2 个，每个 10 秒超时）") var external = false

    func validate() throws {
        if let today, AuditReport.day(today) == nil {
            throw ValidationError("--today 应写成 YYYY-MM-DD，例如 --today 2026-12-04，这里是“\(today)”")
        }
    }

    func run() throws {
        let options = folders.buildOptions()
        let day = today.flatMap(AuditReport.day)
        let outcome = StoppableRun.run(with: options) { options in
            let (audit, diagnostics) = Generator(options: options).audit(
                now: Date(), today: day, external: external ? ExternalLinks(requester: StatusClient()) : nil)
            return Result(audit: audit, diagnostics: diagnostics)
        }
        let result = try outcome.reportOrStop()
        Console.print(result.diagnostics)
        guard let audit = result.audit else {
            Console.printError("无法检查：\(Console.counts(result.diagnostics))。")
            throw ExitCode(1)
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        do {
            if let report { try Data(audit.html.utf8).write(to: URL(fileURLWithPath: report, relativeTo: cwd)) }
            if let json { try Data(audit.json.utf8).write(to: URL(fileURLWithPath: json, relativeTo: cwd)) }
        } catch {
            Console.printError("写报告失败：\(error.localizedDescription)")
            throw ExitCode(1)
        }
        for line in audit.lines { Swift.print(line) }
        if !audit.passes { throw ExitCode(1) }
    }

    /// What the run gave back: the report, or the diagnostics that stopped it.
    struct Result: Sendable {
        var audit: AuditReport?
        var diagnostics: [Diagnostic]
    }
}
