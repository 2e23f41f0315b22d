import ArgumentParser
import Foundation
import LanmuCore

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "新建文章",
        discussion: """
            在栏目里新建一篇草稿（draft: true），日期为现在（站点时区），信息来源为站点的 default_source。
            写好后删掉 draft: true 这一行，文章才会生成。

            例如：
              lanmu new sanfuwu/shixian "文章标题"
            """)

    @OptionGroup var folders: SiteFolders
    @Argument(help: "栏目路径，content/ 下的目录，例如 sanfuwu/shixian") var section: String
    @Argument(help: "文章标题") var title: String

    func run() throws {
        switch Generator(options: folders.buildOptions()).newArticle(section: section, title: title, now: Date()) {
        case .success(let path): Swift.print("已新建 \(path)")
        case .failure(let diagnostic):
            Console.print([diagnostic])
            throw ExitCode(1)
        }
    }
}
