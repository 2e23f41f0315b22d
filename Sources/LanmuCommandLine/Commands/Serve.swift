import ArgumentParser
import Foundation
import LanmuCore
import LanmuServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "本机预览",
        discussion: """
            在本机预览站点：生成到内存、保存文件后自动重新生成并刷新浏览器。不写 public/。

            例如：
              lanmu serve --port 8000
            """)

    @OptionGroup var folders: SiteFolders
    @Option(help: "监听地址（默认只听本机 127.0.0.1）") var host = "127.0.0.1"
    @Option(help: "端口（0 表示任选一个空闲端口）") var port = 8000
    @OptionGroup var publishing: Publishing

    static let ports = 0...65535

    func validate() throws {
        guard Self.ports.contains(port) else { throw ValidationError("端口必须在 0–65535 之间") }
    }

    func run() async throws {
        var options = folders.buildOptions()
        publishing.apply(to: &options)
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            Console.printError("警告：预览服务器将监听 \(host)，同一网络里的其他设备也能访问它。只在需要时这样做。")
        }
        var configuration = PreviewServer.Configuration(options: options)
        configuration.host = host
        configuration.port = port
        let server = PreviewServer(configuration: configuration) { Console.printError($0) }
        do {
            try await server.run()
        } catch let error as PreviewServer.StartError {
            Console.printError("错误：\(error)")
            throw ExitCode(2)
        }
    }
}

extension Serve: ExplainsBadValues {
    static func problem(withValue value: String, of option: String) -> UsageProblem.Detail? {
        guard option == "--port", Int(value).map(ports.contains) != true else { return nil }
        return .init(text: "端口“\(value)”不是 0 到 65535 之间的数字", hint: "例如 --port 8000（0 表示任选一个空闲端口）")
    }
}
