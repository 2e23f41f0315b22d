// lanmu-bench: how long after saving one article does an open preview page get its reload event?
//
//   swift build -c release
//   .build/release/lanmu-bench --site DIR [--edits 10] [--article content/…/x.md]
//
// Starts `lanmu serve` (the binary beside this one) on a free loopback port for the site in DIR (its
// content/ and templates/), opens the live-reload stream like a browser tab, then appends a sentence to one
// article K times and times each write → `event: reload`. The article is restored afterwards. Prints each
// time, the median, and the server's own rebuild line.
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var site = FileManager.default.currentDirectoryPath
    var edits = 10
    var article: String?
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
        switch argument {
        case "--site": options.site = arguments.popFirst() ?? options.site
        case "--edits": options.edits = arguments.popFirst().flatMap(Int.init) ?? options.edits
        case "--article": options.article = arguments.popFirst()
        default:
            FileHandle.standardError.write(Data("usage: lanmu-bench --site DIR [--edits K] [--article PATH]\n".utf8))
            exit(2)
        }
    }
    return options
}

func firstArticle(below content: URL) -> URL? {
    let enumerator = FileManager.default.enumerator(atPath: content.path)
    var candidates: [String] = []
    while let path = enumerator?.nextObject() as? String {
        // A draft is not published: saving it changes no page.
        if path.hasSuffix(".md"), !path.hasSuffix("_index.md"),
            let text = try? String(contentsOf: content.appendingPathComponent(path), encoding: .utf8),
            !text.contains("\ndraft: true")
        {
            candidates.append(path)
        }
        if candidates.count > 2000 { break }
    }
    return candidates.sorted().first.map { content.appendingPathComponent($0) }
}

final class Log: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func append(_ data: Data) { lock.withLock { text += String(decoding: data, as: UTF8.self) } }
    var value: String { lock.withLock { text } }
}

let options = parseOptions()
let site = URL(fileURLWithPath: options.site)
let content = site.appendingPathComponent("content")
guard let article = options.article.map({ site.appendingPathComponent($0) }) ?? firstArticle(below: content) else {
    FileHandle.standardError.write(Data("no article found below \(content.path)\n".utf8))
    exit(1)
}
let lanmu = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lanmu")
let process = Process()
process.executableURL = lanmu
process.arguments = ["serve", "--site", site.path, "--port", "0"]
let pipe = Pipe()
let log = Log()
process.standardError = pipe
pipe.fileHandleForReading.readabilityHandler = { log.append($0.availableData) }
try process.run()
defer {
    process.terminate()
    process.waitUntilExit()
}

var port = 0
let deadline = Date().addingTimeInterval(600)
while port == 0, Date() < deadline {
    if let tail = log.value.components(separatedBy: "预览地址：http://127.0.0.1:").dropFirst().first {
        port = Int(tail.prefix { $0.isNumber }) ?? 0
    }
    Thread.sleep(forTimeInterval: 0.01)
}
guard port > 0 else {
    print(log.value)
    exit(1)
}
print(log.value.split(separator: "\n").first { $0.hasPrefix("首次生成") } ?? "")

let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
var address = sockaddr_in()
address.sin_family = sa_family_t(AF_INET)
address.sin_port = in_port_t(UInt16(port).bigEndian)
address.sin_addr.s_addr = inet_addr("127.0.0.1")
var timeout = timeval(tv_sec: 10, tv_usec: 0)
setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
_ = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
}
let request = Array("GET /__lanmu/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
_ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }

func readUntil(_ marker: String) -> Bool {
    var received = ""
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if count <= 0 { return false }
        received += String(decoding: buffer[0..<count], as: UTF8.self)
        if received.contains(marker) { return true }
    }
}
_ = readUntil("retry:")

let original = try Data(contentsOf: article)
var times: [Double] = []
for edit in 1...options.edits {
    Thread.sleep(forTimeInterval: 0.3)
    let edited = original + Data("\n\n第 \(edit) 次修改：补充一句话。\n".utf8)
    let start = DispatchTime.now()
    try edited.write(to: article)
    guard readUntil("event: reload") else {
        print("no reload event after edit \(edit)")
        break
    }
    let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000
    times.append(milliseconds)
    print(String(format: "edit %2d: %.1f ms from write to reload event", edit, milliseconds))
}
try original.write(to: article)
let sorted = times.sorted()
if !sorted.isEmpty {
    print(
        String(
            format: "median: %.1f ms over %d edits (min %.1f, max %.1f)", sorted[sorted.count / 2], sorted.count,
            sorted.first!, sorted.last!))
}
let rebuilds = log.value.split(separator: "\n").filter { $0.contains("个有变化，用时") }.suffix(3)
print("server's last rebuild lines:\n" + rebuilds.joined(separator: "\n"))
