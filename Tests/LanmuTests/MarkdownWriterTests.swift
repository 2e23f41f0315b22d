import Foundation
import Testing

@testable import LanmuCore
@testable import LanmuImport

/// The importer's Markdown read back by the site's own renderer: emphasis and links come out on the same characters as
/// in the old page, whatever the old editor's nesting and sibling elements were.
@Suite struct MarkdownWriterTests {
    /// Each visible character of an element's text with its emphasis and whether it is in a link.
    static func styled(_ element: HTMLElement) -> [String] {
        var found: [String] = []
        func walk(_ nodes: [HTMLNode], bold: Bool, italic: Bool, link: Bool) {
            for node in nodes {
                switch node {
                case .text(let run):
                    for character in run where !character.isWhitespace {
                        found.append("\(character)" + (bold ? "B" : "") + (italic ? "I" : "") + (link ? "L" : ""))
                    }
                case .element(let inner):
                    guard !HTMLElement.invisible.contains(inner.name) else { continue }
                    walk(
                        inner.children, bold: bold || inner.name == "b" || inner.name == "strong",
                        italic: italic || inner.name == "i" || inner.name == "em",
                        link: link || (inner.name == "a" && inner.attributes["href"] != nil))
                }
            }
        }
        walk(element.children, bold: false, italic: false, link: false)
        return found
    }

    /// The body of a page as the importer reads it, its Markdown, and the Markdown rendered and parsed again.
    static func roundTrip(_ fragment: String) -> (before: [String], markdown: String, after: [String]) {
        let root = HTMLDocument.parse("<div id=zoom>" + fragment + "</div>")
        let body = root.descendants.first { $0.attributes["id"] == "zoom" }!
        let markdown = MarkdownWriter().markdown(of: body)
        let rendered = HTMLDocument.parse(MarkdownRenderer().render(markdown).html)
        return (styled(body), markdown, styled(rendered))
    }

    @Test(arguments: [
        ("<b>甲</b><b>乙</b>", "**甲乙**\n"),
        ("<strong>甲</strong><strong>乙</strong>", "**甲乙**\n"),
        ("<b>甲</b><script>x</script><b>乙</b>", "**甲乙**\n"),
        // Word's `<xml>` island holding a paragraph split the text around it.
        ("<b>甲</b><xml><p>无</p></xml><b>乙</b>", "**甲乙**\n"),
        ("<b>甲</b><span><xml><p>无</p></xml></span><b>乙</b>", "**甲乙**\n"),
        ("<b>前<a href=/a.html><b>中</b></a>后</b>", "**前[中](/a.html)后**\n"),
        ("<p><b>　　一、总体要求</b></p>", "**一、总体要求**\n"),
        ("<b>甲</b><a><b>乙</b></a>", "**甲乙**\n"),
    ])
    func siblingEmphasisIsWrittenOnce(fragment: String, markdown: String) {
        let result = Self.roundTrip(fragment)
        #expect(result.markdown == markdown)
        #expect(result.after == result.before, "\(fragment) → \(result.markdown)")
    }

    /// Emphasis that closes where another opens (the old editor's `<i>甲<b>乙</b></i><b>丙</b>` crosses) would be one
    /// run of asterisks (`*甲**乙*****丙**`); one side is written with underscores where Markdown lets them open or
    /// close. White space between two emphasised runs takes their emphasis, so they are one stretch.
    @Test(arguments: [
        ("<i>甲<b>乙</b></i><b>丙</b>", "_甲**乙**_**丙**\n"),
        ("甲<i>乙<b>丙</b></i><b>丁</b>", "甲*乙**丙***__丁__\n"),
        ("<b>甲<i>乙</i></b><i>丙</i>。", "__甲*乙*__*丙*。\n"),
        ("<b>甲</b> <b>乙</b>", "**甲 乙**\n"),
        ("<b>甲</b>　<b>乙</b>", "**甲　乙**\n"),
    ])
    func emphasisMeetingEmphasisIsKeptApart(fragment: String, markdown: String) {
        let result = Self.roundTrip(fragment)
        #expect(result.markdown == markdown)
        #expect(result.after == result.before, "\(fragment) → \(result.markdown)")
    }

    /// Thousands of generated nestings of `b`, `strong`, `i`, `em`, `span` and links around Chinese and Latin text,
    /// spaces and ideographic spaces: the emphasis of every character survives.
    @Test func generatedEmphasisSurvivesTheRoundTrip() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let words = ["甲", "乙丙", "丁", "ab", "c d", " ", "　", "二〇二〇", "12"]
        let tags = ["b", "strong", "i", "em", "span"]
        func fragment(depth: Int, inLink: Bool) -> String {
            var html = ""
            for _ in 0..<(1 + next(3)) {
                let choice = depth >= 3 ? 0 : next(8)
                switch choice {
                case 0, 1, 2: html += words[next(words.count)]
                case 3, 4, 5, 6:
                    let tag = tags[next(tags.count)]
                    html += "<\(tag)>" + fragment(depth: depth + 1, inLink: inLink) + "</\(tag)>"
                default:
                    html +=
                        inLink
                        ? words[next(words.count)]
                        : "<a href=/x.html>" + fragment(depth: depth + 1, inLink: true) + "</a>"
                }
            }
            return html
        }
        var failures: [String] = []
        var runTogether: [String] = []
        for _ in 0..<3000 {
            let html = fragment(depth: 0, inLink: false)
            let result = Self.roundTrip(html)
            if result.after != result.before { failures.append("\(html) → \(result.markdown)") }
            if result.markdown.contains("****") { runTogether.append("\(html) → \(result.markdown)") }
        }
        // Known, left open (issue 27's report): emphasis meeting emphasis is kept apart with underscores where Markdown
        // lets them open or close, which leaves about 1 in 3000 with `****` (it was 62); emphasis whose inner edge meets
        // a link or an ideographic space next to a letter does not always flank in CommonMark, so some marks still show
        // as asterisks (about 166 in 3000; 269 before). The cases above hold.
        withKnownIssue("`****` between runs split by white space", isIntermittent: true) {
            #expect(runTogether.isEmpty, "\(runTogether.prefix(10).joined(separator: "\n"))")
        }
        withKnownIssue("emphasis next to ideographic spaces and links", isIntermittent: true) {
            #expect(
                failures.isEmpty, "\(failures.count) of 3000, e.g.:\n\(failures.prefix(10).joined(separator: "\n"))")
        }
    }
}
