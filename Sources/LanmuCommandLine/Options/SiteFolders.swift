import ArgumentParser
import Foundation
import LanmuCore

/// Where a site's files are: the options of every command that reads a site.
struct SiteFolders: ParsableArguments {
    @Option(help: "站点目录（默认：当前目录）") var site: String?
    @Option(help: "内容目录（默认：<site>/content）") var content: String?
    @Option(help: "模板目录（默认：<site>/templates）") var templates: String?

    /// Build options for these folders and `output`, relative paths taken from the current directory.
    /// `LANMU_RENDER_TIME_LIMIT` (seconds) sets how long one article's Markdown may take to render.
    func buildOptions(output: String? = nil) -> BuildOptions {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func resolve(_ path: String?) -> URL? { path.map { URL(fileURLWithPath: $0, relativeTo: cwd) } }
        let root = resolve(site) ?? cwd
        var options = BuildOptions(
            siteRoot: root, content: resolve(content), templates: resolve(templates), output: resolve(output))
        if let seconds = ProcessInfo.processInfo.environment["LANMU_RENDER_TIME_LIMIT"].flatMap(Double.init),
            seconds > 0
        {
            options.renderTimeLimit = .milliseconds(Int(seconds * 1000))
        }
        return options
    }
}
