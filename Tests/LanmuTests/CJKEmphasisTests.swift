import Foundation
import Testing

@testable import LanmuCore

/// The CJK-friendly emphasis amendments, through the whole Markdown wrapper.
@Suite struct CJKEmphasisTests {
    let renderer = MarkdownRenderer()
    let plain = MarkdownRenderer(options: .init(cjkEmphasis: false))

    @Test(arguments: [
        ("**注重宣传引导。**周明良指出……", "<p><strong>注重宣传引导。</strong>周明良指出……</p>\n"),
        ("**重要提示（通知）：**请注意。", "<p><strong>重要提示（通知）：</strong>请注意。</p>\n"),
        ("*这是斜体（带括号）。*这句继续", "<p><em>这是斜体（带括号）。</em>这句继续</p>\n"),
        ("会议指出，**要“建起来”。**然后", "<p>会议指出，<strong>要“建起来”。</strong>然后</p>\n"),
        ("**外层*内层。*继续。**后文", "<p><strong>外层<em>内层。</em>继续。</strong>后文</p>\n"),
        ("**一、**总体要求", "<p><strong>一、</strong>总体要求</p>\n"),
        ("前文**「引号」**后文", "<p>前文<strong>「引号」</strong>后文</p>\n"),
        ("## **第一站：**石门镇", "<h2 id=\"第一站石门镇\"><strong>第一站：</strong>石门镇</h2>\n"),
        ("[**链接。**文字](/a)", "<p><a href=\"/a\"><strong>链接。</strong>文字</a></p>\n"),
        ("**注意。**`代码`", "<p><strong>注意。</strong><code>代码</code></p>\n"),
        ("**第一行。**\n第二行**强调。**结束", "<p><strong>第一行。</strong>第二行<strong>强调。</strong>结束</p>\n"),
    ])
    func leadInsAndPunctuationInsideEmphasis(markdown: String, html: String) {
        #expect(renderer.render(markdown).html == html)
    }

    @Test func withoutTheAmendmentTheAsterisksShow() {
        #expect(plain.render("**注重宣传引导。**周明良指出").html == "<p>**注重宣传引导。**周明良指出</p>\n")
    }

    @Test(arguments: [
        ("\\*不是强调。\\*文字", "<p>*不是强调。*文字</p>\n"),
        // The escaped asterisk stays literal; the remaining `*` and `**` may not pair (the rule of three).
        ("\\**不是。**文字", "<p>**不是。**文字</p>\n"),
        ("`**代码。**字`", "<p><code>**代码。**字</code></p>\n"),
        ("`\\*代码\\*`", "<p><code>\\*代码\\*</code></p>\n"),
        ("    **缩进代码。**字\n", "<pre><code>**缩进代码。**字\n</code></pre>\n"),
        (
            "<https://example.com/**a。**b>",
            "<p><a href=\"https://example.com/**a%E3%80%82**b\">https://example.com/**a。**b</a></p>\n"
        ),
        (
            "<http://example.com?find=\\*>",
            "<p><a href=\"http://example.com?find=%5C*\">http://example.com?find=\\*</a></p>\n"
        ),
        ("[链接](/a\\*b \"标题\\*\")", "<p><a href=\"/a*b\" title=\"标题*\">链接</a></p>\n"),
        ("\\\\**注意。**文字", "<p>\\<strong>注意。</strong>文字</p>\n"),
        // Found by the Markdown fuzzer: a combining mark after `\*` joins the stand-in into one character.
        ("\\*\u{35F}强调", "<p>*\u{35F}强调</p>\n"), ("`\\*\u{301}`", "<p><code>\\*\u{301}</code></p>\n"),
    ])
    func escapesCodeAndAutolinksAreNeverTouched(markdown: String, html: String) {
        #expect(renderer.render(markdown, directory: nil).html == html)
    }

    @Test func rawHTMLIsNeverTouched() {
        let raw = MarkdownRenderer(options: .init(rawHTML: true))
        #expect(
            raw.render("<span title=\"\\*注意。\\*\">**字。**字</span>").html
                == "<p><span title=\"\\*注意。\\*\"><strong>字。</strong>字</span></p>\n")
    }

    @Test(arguments: [
        "*foo*bar", "**foo bar **", "a * foo bar*", "*(*foo*)*", "**foo \"*bar*\" foo**", "foo***bar***baz",
        "*foo**bar**baz*", "_foo_bar", "*a **b** c*", "**a*b*c**", "\\*not emphasized*", "*foo [bar](/url)*",
        // Found by the Markdown fuzzer: a run between punctuation and a space flanks as CommonMark says.
        ")* \\`***`**c*", "a *(b** c", "x)* **y*",
    ])
    func textWithoutCJKIsExactlyCmarks(markdown: String) {
        #expect(renderer.render(markdown).html == plain.render(markdown).html)
    }

    @Test func flankingFollowsTheAmendment() {
        // 。 then a Chinese character: CommonMark says the run cannot close; the amendment says it can.
        let run = CJKEmphasis.run(count: 2, before: "。", after: "周")
        #expect(run.canClose)
        #expect(run.canOpen)
        #expect(run.changed)
        let latin = CJKEmphasis.run(count: 2, before: ".", after: "a")
        #expect(latin.canClose == false)
        #expect(latin.changed == false)
        #expect(CJKEmphasis.isCJK("周") && CJKEmphasis.isCJK("。") && CJKEmphasis.isCJK("（"))
        #expect(!CJKEmphasis.isCJK("a") && !CJKEmphasis.isCJK("“") && !CJKEmphasis.isCJK("😀"))
    }
}
