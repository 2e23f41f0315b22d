import ArgumentParser
import Foundation
import LanmuCore
import LanmuServer

@main
struct Lanmu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lanmu",
        abstract: "栏目（Lanmu）：为新闻栏目生成静态网站。",
        subcommands: [Build.self, Serve.self, Check.self, New.self])

    /// Exit status 2 for every usage error (argument-parser's own default is 64).
    static func main() async {
        // Typing mistakes told in Chinese first; the parser's own messages are in English.
        if let problem = CommandLineUsage.problem(in: Array(CommandLine.arguments.dropFirst())) {
            FileHandle.standardError.write(Data((problem + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 1 { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(2)
        }
    }
}

/// Flags every command that reads a site shares.
struct SiteOptions: ParsableArguments {
    @Option(help: "站点目录（默认：当前目录）") var site: String?
    @Option(help: "内容目录（默认：<site>/content）") var content: String?
    @Option(help: "模板目录（默认：<site>/templates）") var templates: String?

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
        if let count = ProcessInfo.processInfo.environment["LANMU_KEEP_BODIES_UP_TO"].flatMap(Int.init), count >= 0 {
            options.keepBodiesUpTo = count
        }
        return options
    }

    /// For build and check: a render past the limit cannot be interrupted, so the run stops here, before
    /// anything is written.
    func stoppingOnRenderTimeout(_ options: BuildOptions) -> BuildOptions {
        var options = options
        options.onRenderTimeout = { diagnostic in
            Console.print([diagnostic])
            FileHandle.standardError.write(Data("生成失败：1 个错误；输出目录没有改动。\n".utf8))
            Foundation.exit(1)
        }
        return options
    }
}

/// Prints diagnostics to standard error and maps the outcome to the exit status.
enum Console {
    static func print(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        let text = diagnostics.map(\.description).joined(separator: "\n") + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func counts(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.count { $0.severity == .error }
        let warnings = diagnostics.count - errors
        return "\(errors) 个错误，\(warnings) 个警告"
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "生成站点到输出目录（默认 public/）。出错时原来的输出保持不变。")

    @OptionGroup var siteOptions: SiteOptions
    @Option(help: "输出目录（默认：<site>/public）") var output: String?
    @Flag(help: "也发布草稿（draft: true）") var drafts = false
    @Flag(help: "也发布日期在未来的文章") var future = false
    @Option(name: .customLong("base-url"), help: "覆盖站点设置 base_url") var baseURL: String?

    func run() throws {
        var options = siteOptions.stoppingOnRenderTimeout(siteOptions.buildOptions(output: output))
        options.includeDrafts = drafts
        options.includeFuture = future
        options.baseURL = baseURL
        options.freesModelAfterBuild = false  // the process ends here
        let started = Date()
        let report = Generator(options: options).build(now: started) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        Console.print(report.diagnostics)
        guard report.succeeded else {
            FileHandle.standardError.write(Data("生成失败：\(Console.counts(report.diagnostics))；输出目录没有改动。\n".utf8))
            throw ExitCode(1)
        }
        let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
        Swift.print(
            "已生成 \(report.pageCount) 个页面（共 \(report.fileCount) 个文件，文章 \(report.articleCount) 篇），用时 \(seconds) 秒；\(Console.counts(report.diagnostics))。"
        )
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "做 build 的全部检查，但不写任何文件。")

    @OptionGroup var siteOptions: SiteOptions
    @Option(help: "输出目录（默认：<site>/public），只检查它能否使用") var output: String?
    @Flag(help: "也检查草稿") var drafts = false
    @Flag(help: "也检查日期在未来的文章") var future = false

    func run() throws {
        var options = siteOptions.stoppingOnRenderTimeout(siteOptions.buildOptions(output: output))
        options.includeDrafts = drafts
        options.includeFuture = future
        let report = Generator(options: options).check(now: Date())
        Console.print(report.diagnostics)
        guard report.succeeded else {
            FileHandle.standardError.write(Data("检查未通过：\(Console.counts(report.diagnostics))。\n".utf8))
            throw ExitCode(1)
        }
        Swift.print("检查通过：文章 \(report.articleCount) 篇；\(Console.counts(report.diagnostics))。")
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "在栏目里新建一篇文章，日期为现在（站点时区）。")

    @OptionGroup var siteOptions: SiteOptions
    @Argument(help: "栏目路径，content/ 下的目录，例如 sanfuwu/shixian") var section: String
    @Argument(help: "文章标题") var title: String

    func run() throws {
        switch Generator(options: siteOptions.buildOptions()).newArticle(section: section, title: title, now: Date()) {
        case .success(let path): Swift.print("已新建 \(path)")
        case .failure(let diagnostic):
            Console.print([diagnostic])
            throw ExitCode(1)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "在本机预览站点：生成到内存、保存文件后自动重新生成并刷新浏览器。不写 public/。")

    @OptionGroup var siteOptions: SiteOptions
    @Option(help: "监听地址（默认只听本机 127.0.0.1）") var host = "127.0.0.1"
    @Option(help: "端口（0 表示任选一个空闲端口）") var port = 8000
    @Flag(help: "也显示草稿（draft: true）") var drafts = false
    @Flag(help: "也显示日期在未来的文章") var future = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("端口必须在 0–65535 之间") }
    }

    func run() async throws {
        var options = siteOptions.buildOptions()
        options.includeDrafts = drafts
        options.includeFuture = future
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            FileHandle.standardError.write(
                Data("警告：预览服务器将监听 \(host)，同一网络里的其他设备也能访问它。只在需要时这样做。\n".utf8))
        }
        var configuration = PreviewServer.Configuration(options: options)
        configuration.host = host
        configuration.port = port
        let server = PreviewServer(configuration: configuration) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        do {
            try await server.run()
        } catch let error as PreviewServer.StartError {
            FileHandle.standardError.write(Data("错误：\(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
