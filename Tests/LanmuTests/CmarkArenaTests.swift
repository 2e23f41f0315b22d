import CCmark
import Foundation
import Testing

@testable import LanmuCore

/// cmark working in a thread's arena (`CmarkArena`) gives what it gives with its own `malloc`, whatever the size of
/// the document, and the memory goes back when the document is done.
@Suite struct CmarkArenaTests {
    /// HTML of Markdown through cmark with this allocator (nil: cmark's own), copied out before it goes back.
    func html(_ markdown: String, memory: UnsafeMutablePointer<cmark_mem>?) -> String {
        let parser =
            memory.map { cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, $0) } ?? cmark_parser_new(CMARK_OPT_DEFAULT)
        var markdown = markdown
        markdown.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        let document = cmark_parser_finish(parser)
        cmark_parser_free(parser)
        let html = cmark_render_html(document, CMARK_OPT_DEFAULT)!
        let text = String(cString: html)
        if memory == nil {
            free(html)
            cmark_node_free(document)
        }
        return text
    }

    /// A body far larger than a thread's block (further blocks, and a code block whose buffer grows past the size
    /// that gets a block of its own), a small one after it in the same block, and a nested document: each the same
    /// as with cmark's memory; the further blocks go back with the document.
    @Test func documentsOfEverySizeRenderAsWithCmarksOwnMemory() {
        var large = ""
        for index in 0..<3_000 {
            large += "## 第\(index)节\n\n第\(index)段 **强调** *着重* [链接](https://example.cn/\(index)) `代码` &amp; <b>\n\n"
        }
        large += "```\n" + String(repeating: "很长的一行代码 ", count: 20_000) + "\n```\n"
        let small = "标题\n===\n\n- 一\n- 二\n\n> 引用 **粗体**\n"
        for markdown in [large, small, large] {
            let expected = html(markdown, memory: nil)
            let (inArena, nested, further) = CmarkArena.withDocument {
                let inArena = html(markdown, memory: MarkdownRenderer.arena)
                // A document within a document (plain text of a summary while a body is rendered) keeps the outer
                // one's memory until the outer one is done.
                let nested = CmarkArena.withDocument { html(small, memory: MarkdownRenderer.arena) }
                return (inArena, nested, CmarkArena.State.current.pointee.furtherBlocks)
            }
            #expect(inArena == expected)
            #expect(nested == html(small, memory: nil))
            #expect((further > 0) == (markdown.utf8.count > CmarkArena.blockSize), "\(further)")
            #expect(CmarkArena.State.current.pointee.furtherBlocks == 0, "further blocks go back")
        }
    }

    /// Memory cmark asks to be zeroed is zeroed, though the block holds the last document's bytes; a grown buffer
    /// keeps its bytes; allocations are 16-byte aligned, as `malloc`'s.
    @Test func allocationsBehaveAsMallocs() throws {
        let memory = MarkdownRenderer.arena
        for _ in 0..<2 {
            try CmarkArena.withDocument {
                let calloc = try #require(memory.pointee.calloc)
                let realloc = try #require(memory.pointee.realloc)
                let first = try #require(calloc(100, 1))
                #expect(UnsafeRawBufferPointer(start: first, count: 100).allSatisfy { $0 == 0 })
                first.initializeMemory(as: UInt8.self, repeating: 0xAB, count: 100)
                let grown = try #require(realloc(first, 50_000))
                #expect(UnsafeRawBufferPointer(start: grown, count: 100).allSatisfy { $0 == 0xAB })
                grown.initializeMemory(as: UInt8.self, repeating: 0xAB, count: 50_000)
                let other = try #require(calloc(3, 7))
                #expect(UnsafeRawBufferPointer(start: grown, count: 50_000).allSatisfy { $0 == 0xAB }, "no overlap")
                let moved = try #require(realloc(grown, 60_000))
                #expect(UnsafeRawBufferPointer(start: moved, count: 50_000).allSatisfy { $0 == 0xAB })
                for pointer in [first, grown, other, moved] { #expect(Int(bitPattern: pointer) % 16 == 0) }
                // Dirty the block for the next round's zeroing check.
                other.initializeMemory(as: UInt8.self, repeating: 0xCD, count: 21)
            }
        }
    }
}
