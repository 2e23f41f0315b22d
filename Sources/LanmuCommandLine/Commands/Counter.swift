import ArgumentParser
import Foundation
import LanmuCounter

struct Counter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counter",
        abstract: "浏览次数计数服务",
        discussion: """
            运行浏览次数计数服务（放在网站自己的 nginx 后面，路径 /api/hits/），或导出、导入计数。
            只计 lanmu build 写在 public/counter-ids.txt 里的文章。

            例如：
              lanmu counter --site 网站目录 --trust-proxy 127.0.0.1
              lanmu counter --db /var/lib/lanmu/counter.sqlite --host 127.0.0.1 --port 8081
              lanmu counter --postgres postgres://lanmu:密码@127.0.0.1:5432/lanmu
              lanmu counter --allow-origin https://www.example.gov.cn --rate-limit 600
              lanmu counter --ids public/counter-ids.txt
              lanmu counter export --output counts.csv
              lanmu counter import 旧站浏览次数.csv
            """)

    @Argument(help: "export（导出计数为 CSV）或 import（从 CSV 导入）；不写则运行服务") var action: String?
    @Argument(help: "import 要读的 CSV 文件") var file: String?
    @Option(help: "站点目录（默认：当前目录）") var site: String?
    @Option(help: "SQLite 数据库文件（默认：<site>/counter.sqlite）") var db: String?
    @Option(help: "用 PostgreSQL 保存计数（几台服务器共用），例如 postgres://lanmu:密码@127.0.0.1:5432/lanmu")
    var postgres: String?
    @Option(help: "文章清单（默认：<site>/public/counter-ids.txt）") var ids: String?
    @Option(help: "监听地址") var host = "127.0.0.1"
    @Option(help: "端口（0 表示任选一个空闲端口）") var port = 8081
    @Option(name: .customLong("trust-proxy"), help: "信任这个地址发来的 X-Forwarded-For（网站的 nginx；可写多次）")
    var trustProxy: [String] = []
    @Option(name: .customLong("allow-origin"), help: "允许这个来源跨域调用（默认不允许）") var allowOrigin: String?
    @Option(name: .customLong("rate-limit"), help: "每个访客地址每分钟最多请求次数（0 表示不限）") var rateLimit = 600
    @Option(help: "export 写到这个文件（默认：标准输出）") var output: String?

    static let ports = 0...65535

    func validate() throws {
        guard Self.ports.contains(port) else { throw ValidationError("端口必须在 0–65535 之间") }
        guard rateLimit >= 0 else { throw ValidationError("--rate-limit 不能是负数") }
        if postgres != nil && db != nil { throw ValidationError("--db 和 --postgres 只能选一个") }
        switch action {
        case nil, "export":
            if file != nil { throw ValidationError("多了一个参数“\(file!)”") }
        case "import":
            if file == nil {
                throw ValidationError("lanmu counter import 后面要写 CSV 文件，例如 lanmu counter import counts.csv")
            }
        case let other?:
            throw ValidationError("没有“\(other)”这个动作：可用 export、import，或不写（运行服务）")
        }
    }

    func run() async throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let root = site.map { URL(fileURLWithPath: $0, relativeTo: cwd) } ?? cwd
        let databasePath =
            db.map { URL(fileURLWithPath: $0, relativeTo: cwd).path }
            ?? root.appendingPathComponent("counter.sqlite").path
        let manifestPath =
            ids.map { URL(fileURLWithPath: $0, relativeTo: cwd).path }
            ?? root.appendingPathComponent("public/\(ArticleManifest.fileName)").path
        do {
            switch action {
            case "export":
                let store = try await openStore(databasePath, exclusive: false)
                let text = CounterCSV.export(try await store.allCounts())
                await store.close()
                if let output {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output, relativeTo: cwd), options: .atomic)
                } else {
                    FileHandle.standardOutput.write(Data(text.utf8))
                }
            case "import":
                try await importCounts(from: URL(fileURLWithPath: file!, relativeTo: cwd), manifestPath, databasePath)
            default:
                let manifest = try ArticleManifest(path: manifestPath)
                let store = try await openStore(databasePath, exclusive: true)
                var configuration = CounterServer.Configuration()
                configuration.host = host
                configuration.port = port
                configuration.trustedProxies = Set(trustProxy)
                configuration.allowedOrigin = allowOrigin
                configuration.rateLimit = rateLimit
                let server = CounterServer(configuration: configuration, store: store, manifest: manifest) {
                    Console.printError($0)
                }
                try await server.run()
            }
        } catch let error as CounterStartError {
            Console.printError("错误：\(error)")
            throw ExitCode(1)
        }
    }

    private func openStore(_ databasePath: String, exclusive: Bool) async throws -> any CounterStore {
        if let postgres { return try await PostgresCounterStore(url: postgres) }
        return try SQLiteCounterStore(path: databasePath, exclusive: exclusive)
    }

    private func importCounts(from file: URL, _ manifestPath: String, _ databasePath: String) async throws {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw CounterStartError("读不到 CSV 文件 \(file.path)")
        }
        let manifest = try ArticleManifest(path: manifestPath)
        let (rows, problems) = CounterCSV.parse(String(decoding: data, as: UTF8.self), manifest: manifest)
        guard problems.isEmpty else {
            for problem in problems { Console.printError("\(file.path):\(problem.line): 错误：\(problem.text)") }
            Console.printError("导入失败：\(problems.count) 行有问题，没有导入任何计数。")
            throw ExitCode(1)
        }
        let store = try await openStore(databasePath, exclusive: true)
        try await store.setImported(rows)
        await store.close()
        Swift.print("已导入 \(rows.count) 篇文章的浏览次数（再次导入同一篇会替换上次导入的数字，不会重复相加）。")
    }
}

extension Counter: ExplainsBadValues {
    static func problem(withValue value: String, of option: String) -> UsageProblem.Detail? {
        guard option == "--port", Int(value).map(ports.contains) != true else { return nil }
        return .init(text: "端口“\(value)”不是 0 到 65535 之间的数字", hint: "例如 --port 8081（0 表示任选一个空闲端口）")
    }
}
