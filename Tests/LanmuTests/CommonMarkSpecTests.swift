import Foundation
import Testing

@testable import LanmuCore

/// Every CommonMark spec example, rendered by the wrapper with the CJK amendments on, equals `cmark --unsafe`.
/// `.ci/commonmark-spec` fetches the examples and sets `LANMU_COMMONMARK_SPEC`; without it the suite does not run.
@Suite(
    .enabled(if: ProcessInfo.processInfo.environment["LANMU_COMMONMARK_SPEC"] != nil, "LANMU_COMMONMARK_SPEC not set"))
struct CommonMarkSpecTests {
    struct Example: Decodable {
        var markdown: String
        var html: String
        var example: Int
        var section: String
    }

    @Test func everyExampleEqualsTheCmarkCommand() throws {
        let path = try #require(ProcessInfo.processInfo.environment["LANMU_COMMONMARK_SPEC"])
        let examples = try JSONDecoder().decode([Example].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(examples.count == 652)
        let renderer = MarkdownRenderer(options: .init(rawHTML: true, cjkEmphasis: true, headingIDs: false))
        var different: [Int] = []
        for example in examples {
            let ours = renderer.render(example.markdown, directory: nil).html
            let theirs = try MarkdownRendererTests.runCmark(example.markdown, unsafe: true)
            if ours != theirs { different.append(example.example) }
        }
        #expect(different == [], "examples whose output differs from cmark's: \(different)")
    }
}
