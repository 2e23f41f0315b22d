import ArgumentParser
import Foundation
import LanmuImport

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "导入旧网站的文章",
        discussion: """
            读入旧网站保存下来的文件夹（wget --mirror 得到的），把每个文章页写成 content/ 里的 Markdown 文章：
            标题、发布日期、信息来源、作者、责任编辑、旧编号（id）和旧网址（aliases）；图片和附件复制到文章旁边。
            栏目按页面的面包屑（当前位置 : 首页 > 三服务专题 > 市县动态），或 --column-map 文件，或 --into。
            再次运行只导入新的页面。

            例如：
              lanmu import ../old-site/www.example.gov.cn --into content/sanfuwu/shixian
              lanmu import ../old-site --column-map columns.txt --rules rules.txt
            """)

    @Argument(help: "旧网站的文件夹") var oldSite: String
    @Option(help: "站点目录（默认：当前目录）") var site: String?
    @Option(help: "所有文章都放进这个栏目目录，例如 content/sanfuwu/shixian") var into: String?
    @Option(name: .customLong("column-map"), help: "旧栏目到目录的对照文件（每行“旧网址前缀或面包屑 = 目录”）")
    var columnMap: String?
    @Option(help: "标题、日期行和正文的选择器文件（每行“title/metadata/body = 选择器, …”）") var rules: String?

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let root = site.map { URL(fileURLWithPath: $0, relativeTo: cwd) } ?? cwd
        let oldFolder = URL(fileURLWithPath: oldSite, relativeTo: cwd)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: oldFolder.path, isDirectory: &isFolder), isFolder.boolValue else {
            Console.printError("lanmu import: 找不到旧网站的文件夹 \(oldSite)\n    提示: 写 wget --mirror 保存下来的文件夹")
            throw ExitCode(2)
        }
        var folder: String?
        if let into {
            guard let checked = ColumnMap.contentFolder(into) else {
                Console.printError(
                    "lanmu import: --into 要写 content/ 里的栏目目录，不能是“\(into)”\n    提示: 例如 --into content/sanfuwu/shixian")
                throw ExitCode(2)
            }
            folder = checked
        }
        var options = SiteImporter.Options(
            oldSite: oldFolder, content: root.appendingPathComponent("content"), into: folder)
        func readFile(_ path: String) throws -> String {
            do {
                return try String(contentsOf: URL(fileURLWithPath: path, relativeTo: cwd), encoding: .utf8)
            } catch {
                Console.printError("lanmu import: 读不出 \(path)（要 UTF-8 文本文件）：\(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        if let columnMap {
            do {
                options.columnMap = try ColumnMap(reading: try readFile(columnMap))
            } catch let problem as ImportProblem {
                Console.printError(
                    "\(columnMap):\(problem.line):1: 错误: \(problem.message)\n    提示: 每行写“旧网址前缀或面包屑 = content/ 下的目录”")
                throw ExitCode(2)
            }
        }
        if let rules {
            do {
                options.rules = try ImportRules(reading: try readFile(rules))
            } catch let problem as ImportProblem {
                Console.printError(
                    "\(rules):\(problem.line):1: 错误: \(problem.message)\n    提示: 每行写“title、metadata 或 body = 选择器, 选择器…”"
                )
                throw ExitCode(2)
            }
        }
        let report: SiteImporter.Report
        do {
            report = try SiteImporter(options: options).run()
        } catch {
            Console.printError("lanmu import: 写不进 content/：\(error.localizedDescription)\n    提示: 看看目录是否存在、是否可写")
            throw ExitCode(1)
        }
        for entry in report.entries {
            switch entry.outcome {
            case .imported(let file): Swift.print("导入 \(entry.oldURL) → \(file)")
            case .skipped(let reason): Swift.print("跳过 \(entry.oldURL)：\(reason)")
            case .failed(let reason): Console.printError("失败 \(entry.oldURL)：\(reason)")
            }
            for note in entry.notes { Swift.print("    注意: \(note)") }
        }
        Swift.print(report.summary + "。")
        if report.failed > 0 { throw ExitCode(1) }
    }
}
