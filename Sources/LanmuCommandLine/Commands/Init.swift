import ArgumentParser
import Foundation
import LanmuCore

/// `lanmu init DIR`: a new site to start from.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "新建网站",
        discussion: """
            在目录里新建一个网站：content/_index.md 写好全部网站设置（每项有中文说明），一个专题“新闻中心”、
            一个栏目“工作动态”和第一篇文章，还有 .gitignore 和给编辑看的 README.md。网站用 Lanmu 自带的主题，
            不需要 templates/。目录不存在时新建；目录里已有文件时不动手，除非加 --force（已有的同名文件不覆盖）。

            例如：
              lanmu init wangzhan
            """)

    @Argument(help: "网站目录，例如 wangzhan") var directory: String
    @Flag(help: "目录不是空的也新建（已有的同名文件不覆盖）") var force = false

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let folder = URL(fileURLWithPath: directory, relativeTo: cwd).standardizedFileURL
        if !force, let present = FolderContents.names(in: folder), !present.isEmpty {
            Console.printError(
                "lanmu init: 目录 \(directory) 不是空的（里面有 \(FolderContents.listed(present))）\n"
                    + "    提示: 换一个新目录，或加 --force 在这里新建（已有的同名文件不覆盖）")
            throw ExitCode(1)
        }
        var kept: [String] = []
        do {
            for (path, text) in SiteStarter.files(now: Date()).sorted(by: { $0.key < $1.key }) {
                let url = folder.appendingPathComponent(path)
                if FileManager.default.fileExists(atPath: url.path) {
                    kept.append(path)
                    continue
                }
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
            }
        } catch {
            Console.printError("lanmu init: 写入 \(directory) 失败：\(error)\n    提示: 检查目录权限和磁盘空间")
            throw ExitCode(1)
        }
        if !kept.isEmpty { Swift.print("已有的文件没有改动：\(kept.joined(separator: "、"))") }
        Swift.print(
            """
            已在 \(directory) 新建网站。接着：
              cd \(directory)
              lanmu serve      # 预览；先改 content/_index.md 里的网站名和网址
              lanmu build      # 生成到 public/
            """)
    }
}
