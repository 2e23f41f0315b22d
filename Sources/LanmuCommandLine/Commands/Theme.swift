import ArgumentParser
import Foundation
import LanmuCore

/// `lanmu theme`: the default theme carried by the binary.
struct Theme: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theme",
        abstract: "自带主题",
        discussion: """
            Lanmu 自带一套默认主题：站点没有 templates/ 目录时用它生成。

            例如：
              lanmu theme export templates
            """,
        subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "把自带主题写到目录里，以便修改",
            discussion: """
                把 Lanmu 自带的默认主题（模板和 assets/ 里的样式、脚本）写到目录里。站点的 templates/ 里的文件逐个
                覆盖自带主题的同名文件：只想改页脚，就只留下 partials/footer.mustache。目录不存在时新建；目录里已有
                文件时不写，除非加 --force（同名文件会被覆盖）。

                例如：
                  lanmu theme export templates
                """)

        @Argument(help: "导出的目录，例如 templates") var directory: String
        @Flag(help: "目录不是空的也写（同名文件会被覆盖）") var force = false

        func run() throws {
            let folder = URL(
                fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            if !force, let present = FolderContents.names(in: folder), !present.isEmpty {
                Console.printError(
                    "lanmu theme export: 目录 \(directory) 不是空的（里面有 \(FolderContents.listed(present))）\n    提示: 换一个空目录，或加 --force 覆盖同名文件"
                )
                throw ExitCode(1)
            }
            do {
                try DefaultTheme.export(to: folder)
            } catch {
                Console.printError("lanmu theme export: 写入 \(directory) 失败：\(error)\n    提示: 检查目录权限和磁盘空间")
                throw ExitCode(1)
            }
            Swift.print("已把自带主题（\(DefaultTheme.paths.count) 个文件）写到 \(directory)")
        }
    }
}
