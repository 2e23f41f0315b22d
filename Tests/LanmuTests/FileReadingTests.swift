import Foundation
import Testing

@testable import LanmuCore

/// Files are read whole, whatever their size, and whether or not `stat` tells the size.
@Suite struct FileReadingTests {
    @Test(arguments: [0, 1, 4095, 65535, 65536, 65537, 200_003])
    func everyByteIsRead(size: Int) throws {
        let site = try TestSite([:])
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }
        try site.write(Data(bytes), to: "f.bin")
        let loader = ContentLoader { $0.path }
        #expect(try loader.read(site.root.appendingPathComponent("f.bin")).get() == bytes)
    }

    /// `/proc` files report a size of 0 and still have content.
    @Test func aFileWhoseSizeIsNotKnownIsReadToTheEnd() throws {
        let loader = ContentLoader { $0.path }
        let bytes = try loader.read(URL(fileURLWithPath: "/proc/self/status")).get()
        #expect(String(decoding: bytes, as: UTF8.self).contains("Pid:"))
    }

    @Test func aMissingFileIsADiagnostic() {
        let loader = ContentLoader { $0.lastPathComponent }
        guard case .failure(let diagnostic) = loader.read(URL(fileURLWithPath: "/nonexistent/x.md")) else {
            Issue.record("read a missing file")
            return
        }
        #expect(diagnostic.code == .fileSystem)
        #expect(diagnostic.location.file == "x.md")
    }
}
