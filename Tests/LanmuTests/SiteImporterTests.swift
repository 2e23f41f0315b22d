import Foundation
import Testing

@testable import LanmuCore
@testable import LanmuImport

#if canImport(Glibc)
    import Glibc
#endif

/// `lanmu import` on pages written for these tests in the two common CMS styles: Hanweb (`/art/2020/4/30/art_…html`,
/// columns at `/col/col1229/index.html`) and TRS (`/202004/t20200430_….html`, lists `index.html`, `index_1.html`).
@Suite struct SiteImporterTests {
    /// A saved old site and an empty Lanmu site beside it.
    struct Mirror {
        let root: URL
        var oldSite: URL { root.appendingPathComponent("old") }
        var content: URL { root.appendingPathComponent("site/content") }

        init(_ files: [String: [UInt8]]) throws {
            root = testScratch.appendingPathComponent("lanmu-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
            for (path, bytes) in files { try write(bytes, to: "old/" + path) }
        }

        func write(_ bytes: [UInt8], to path: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }

        func run(_ configure: (inout SiteImporter.Options) -> Void = { _ in }) throws -> SiteImporter.Report {
            var options = SiteImporter.Options(oldSite: oldSite, content: content)
            configure(&options)
            return try SiteImporter(options: options).run()
        }

        func read(_ path: String) throws -> String {
            try String(contentsOf: content.appendingPathComponent(path), encoding: .utf8)
        }

        /// Every file below `content/`, relative path → bytes.
        var files: [String: Data] { snapshot(of: content) }
    }

    // MARK: Fixtures (written for these tests)

    static let hanwebArticle = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8">
        <title>白石县开展“三服务”走访活动_市县动态_青禾市退役军人事务局</title>
        <meta name="ArticleTitle" content="白石县开展“三服务”走访活动">
        <meta name="PubDate" content="2020-04-30 09:17">
        <meta name="ContentSource" content="白石县退役军人事务局">
        <style>p { color: red }</style><script>var hits = 1 < 2;</script>
        </head><body>
        <div class="top"><a href="/index.html">网站首页</a> <a href="/col/col1228/index.html">三服务专题</a></div>
        <div class="position">当前位置 : <a href="/index.html">首页</a> &gt; <a href="/col/col1228/index.html">三服务专题</a>
        &gt; <a href="/col/col1229/index.html">市县动态</a></div>
        <table width="100%"><tr><td class="title">白石县开展“三服务”走访活动</td></tr>
        <tr><td>发布日期：2020-04-30 09:17　信息来源：白石县退役军人事务局　浏览次数：<span id="hits">12</span></td></tr></table>
        <div id="zoom">
        <p style="text-indent:2em;"><font face="宋体" size="3">&nbsp;&nbsp;&nbsp;&nbsp;4月27日，白石县退役军人事务局走访了<b>四户</b>困难家庭，*送上*慰问金。</font></p>
        <p class="MsoNormal"><span style="font-size:16pt"><o:p></o:p></span></p>
        <p class="MsoNormal"><span lang="EN-US" style="font-family:仿宋_GB2312">　　走访中，工作人员核对了 2*3=6 项台账[见附表] &amp; 记录。</span></p>
        <h3>一、走访家庭</h3>
        <p style="text-align:center"><img src="../../../../picture/0/白石走访.jpg" alt="走访现场" width="600"></p>
        <p style="text-align:center"><img src="/picture/0/%E5%9B%BE%E4%BA%8C.png"></p>
        <p><img src="/picture/0/没有这张.jpg"></p>
        <table border="1" cellspacing="0"><tr><td><b>项目</b></td><td><b>数量</b></td></tr>
        <tr><td>走访家庭</td><td>4</td></tr><tr><td colspan="2">合计完成</td></tr></table>
        <p>相关：<a href="/art/2020/4/29/art_1229_4567889.html">上一期走访</a>，附件：<a href="/module/download/附表.xls">附表</a></p>
        <p>&nbsp;</p>
        </div>
        <div class="fj"><span>附件：</span><ul><li><a href="/module/download/附表.xls">附表</a></li>
        <li><a href="/module/download/申报指南.PDF?v=2">申报指南</a></li></ul></div>
        <div class="editor">作者：林晓岚　　责任编辑：周启明</div>
        <div class="foot">主办单位：青禾市退役军人事务局　<a href="/module/download/年度报表.pdf">网站工作年度报表</a></div>
        </body></html>
        """

    static let hanwebEarlier = """
        <html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
        <meta name="ArticleTitle" content="上一期走访"><meta name="PubDate" content="2020-04-29">
        </head><body><div>当前位置：首页 > 三服务专题 > 市县动态 > 正文</div>
        <div id="zoom"><p>上一期的正文。</p></div></body></html>
        """

    static let hanwebColumn = """
        <html><head><meta charset="utf-8"><title>市县动态</title></head><body>
        <div>当前位置 : <a href="/index.html">首页</a> &gt; 市县动态</div>
        <ul class="list"><li><a href="/art/2020/4/30/art_1229_4567890.html">白石县开展“三服务”走访活动</a> 2020-04-30</li></ul>
        </body></html>
        """

    /// A TRS WCM page in GB2312 with no meta tags: the visible line, `.TRS_Editor`, a layout table around a data
    /// table, Word's markup and a list.
    static let trsArticle = """
        <html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
        <title>关于举办2020年春季退役军人专场招聘会的通知</title></head>
        <body><div class="bread">您现在的位置：<a href="../../../">首页</a> &gt; <a href="../../">政务公开</a> &gt; <a href="../">通知公告</a></div>
        <h1>关于举办2020年春季退役军人专场招聘会的通知</h1>
        <div class="info">发布时间：2020年04月30日 10:05&nbsp;&nbsp;&nbsp;来源：市人力资源和社会保障局&nbsp;&nbsp;【字号：大 中 小】</div>
        <div class="TRS_Editor"><div class="TRS_Editor">
        <p>各县（区）退役军人事务局：</p>
        <p>　　为帮助退役军人就业，定于5月在市体育馆举办专场招聘会。</p>
        <table width="100%"><tr><td>
          <table border="1"><tr><th>时间</th><th>地点</th></tr><tr><td>5月8日</td><td>市体育馆</td></tr></table>
        </td><td>外层说明</td></tr></table>
        <ol><li>报名时间：即日起</li><li>报名方式：<span style="color:red">现场</span>报名</li></ol>
        <p><img src="./W020200430_招聘海报.jpg" alt="招聘海报"></p>
        <p style="text-align:right">市人力资源和社会保障局<br>2020年4月30日</p>
        </div></div>
        <div>【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
        </body></html>
        """

    static let trsList = """
        <html><head><meta charset="gb2312"><title>通知公告</title></head><body>
        <div>您现在的位置：<a href="../">首页</a> &gt; 通知公告</div>
        <ul><li><a href="./202004/t20200430_4567891.html">关于举办2020年春季退役军人专场招聘会的通知</a></li></ul>
        <div class="page">共 2 页 <a href="index_1.html">下一页</a></div></body></html>
        """

    /// Broken markup as old editors left it: unclosed paragraphs and inline elements, a stray `</div>`, unquoted
    /// attributes, a `<center>`, an unknown tag.
    static let brokenArticle = """
        <html><head><meta charset=utf-8><meta name=ArticleTitle content=破损页面的文章>
        <meta name=PubDate content="2021/3/5 8:30"></head><body>
        <div id=zoom><p>第一段<b>加粗<i>斜体</p><p>第二段</b>继续</div></div>
        <center>居中的一句</center><p>最后一段<x-note>未知标签</x-note>
        </body>
        """

    /// A table with a caption, text loose in a list, Word's `<xml>` island, a `<font>` around paragraphs, a `<pre>`.
    static let oddStructures = """
        <meta name=ArticleTitle content=结构><meta name=PubDate content=2020-06-01>
        <div id=zoom><table><caption>表1　名单</caption><tr><td>甲</td><td>乙</td></tr></table>
        <ul>前言<li>一</li><p>- 二</p></ul><xml><w:WordDocument>Normal 0 false</w:WordDocument></xml>
        <font size=3><p>字体里的第一段</p><p>第二段 <b>粗</b><b>体</b></p></font><pre>  代码 *不转义*</pre></div>
        """

    static func gbk(_ text: String) -> [UInt8] {
        let converter = iconv_open("GB18030", "UTF-8")
        precondition(converter != iconv_t(bitPattern: -1))
        defer { iconv_close(converter) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        let written = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress
                var outLeft = outBuffer.count
                precondition(iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1)
                return outBuffer.count - outLeft
            }
        }
        return output.prefix(written).map { UInt8(bitPattern: $0) }
    }

    static let picture: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]

    static func hanwebMirror() throws -> Mirror {
        try Mirror([
            "art/2020/4/30/art_1229_4567890.html": Array(hanwebArticle.utf8),
            "art/2020/4/29/art_1229_4567889.html": Array(hanwebEarlier.utf8),
            "col/col1229/index.html": Array(hanwebColumn.utf8),
            "picture/0/白石走访.jpg": picture,
            "picture/0/图二.png": [0x89, 0x50, 0x4E, 0x47],
            "module/download/附表.xls": [0xD0, 0xCF],
            "module/download/申报指南.PDF": [0x25, 0x50, 0x44, 0x46],
            "module/download/年度报表.pdf": [0x25, 0x50, 0x44, 0x46],
        ])
    }

    static func trsMirror() throws -> Mirror {
        try Mirror([
            "zwgk/tzgg/202004/t20200430_4567891.html": gbk(trsArticle),
            "zwgk/tzgg/202004/W020200430_招聘海报.jpg": picture,
            "zwgk/tzgg/index.html": gbk(trsList),
            "zwgk/tzgg/index_1.html": gbk(trsList),
        ])
    }

    // MARK: Tests

    @Test func aHanwebArticleBecomesMarkdownWithItsFrontMatterImagesAndOldURL() throws {
        let mirror = try Self.hanwebMirror()
        let report = try mirror.run()
        #expect(
            report.entries.map { "\($0.oldURL) \($0.outcome)" } == [
                "/art/2020/4/29/art_1229_4567889.html imported(\"content/三服务专题/市县动态/art_1229_4567889.md\")",
                "/art/2020/4/30/art_1229_4567890.html imported(\"content/三服务专题/市县动态/art_1229_4567890.md\")",
                "/col/col1229/index.html skipped(\"栏目页，旧网址已写进 content/三服务专题/市县动态/_index.md 的 aliases\")",
            ])
        #expect(report.entries[1].notes == ["图片找不到，没有导入：/picture/0/没有这张.jpg"])
        #expect(report.summary == "导入 2 篇，跳过 1 页，失败 0 页")
        #expect(
            try mirror.read("三服务专题/市县动态/art_1229_4567890.md") == """
                ---
                title: "白石县开展“三服务”走访活动"
                date: 2020-04-30 09:17
                source: "白石县退役军人事务局"
                author: "林晓岚"
                editor: "周启明"
                id: "4567890"
                aliases:
                  - "/art/2020/4/30/art_1229_4567890.html"
                attachments:
                  - "申报指南.PDF | 申报指南"
                ---

                4月27日，白石县退役军人事务局走访了**四户**困难家庭，\\*送上\\*慰问金。

                走访中，工作人员核对了 2\\*3=6 项台账\\[见附表\\] \\& 记录。

                ### 一、走访家庭

                ![走访现场](白石走访.jpg)

                ![](图二.png)

                | **项目** | **数量** |
                | --- | --- |
                | 走访家庭 | 4 |
                | 合计完成 |  |

                相关：[上一期走访](/art/2020/4/29/art_1229_4567889.html)，附件：[附表](附表.xls)

                """)
        #expect(try mirror.read("三服务专题/_index.md") == "---\ntitle: \"三服务专题\"\n---\n")
        // The breadcrumb's link to the column's list page (in the mirror) becomes the column's alias; the topic's
        // list page was not saved, so it has none.
        #expect(
            try mirror.read("三服务专题/市县动态/_index.md")
                == "---\ntitle: \"市县动态\"\naliases:\n  - \"/col/col1229/index.html\"\n---\n")
        let files = mirror.files
        #expect(files["三服务专题/市县动态/白石走访.jpg"] == Data(Self.picture))
        #expect(files["三服务专题/市县动态/图二.png"] != nil)
        #expect(files["三服务专题/市县动态/附表.xls"] != nil)
        #expect(files["三服务专题/市县动态/申报指南.PDF"] != nil)
        #expect(files["三服务专题/市县动态/年度报表.pdf"] == nil)
        #expect(try mirror.read("三服务专题/市县动态/art_1229_4567889.md").contains("date: 2020-04-29\nid: \"4567889\""))

        // The imported site builds: its images are found, its dates read, its old URLs redirect.
        try mirror.write(Array(TestSite.home.utf8), to: "site/content/_index.md")
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("templates"),
            to: mirror.root.appendingPathComponent("site/templates"))
        let build = Generator(options: BuildOptions(siteRoot: mirror.root.appendingPathComponent("site"))).build(
            now: testNow)
        #expect(build.succeeded, "\(build.diagnostics)")
        let redirect = try String(
            contentsOf: mirror.root.appendingPathComponent("site/public/art/2020/4/30/art_1229_4567890.html"),
            encoding: .utf8)
        #expect(redirect.contains("art_1229_4567890/\">"))
    }

    @Test func aTRSArticleInGB2312IsReadByItsVisibleLineAndListPagesAreSkipped() throws {
        let mirror = try Self.trsMirror()
        let report = try mirror.run { $0.into = "zhengwu/tongzhi" }
        #expect(
            report.entries.map { "\($0.oldURL) \($0.outcome)" } == [
                "/zwgk/tzgg/202004/t20200430_4567891.html imported(\"content/zhengwu/tongzhi/t20200430_4567891.md\")",
                "/zwgk/tzgg/index.html skipped(\"栏目页，旧网址已写进 content/zhengwu/tongzhi/_index.md 的 aliases\")",
                "/zwgk/tzgg/index_1.html skipped(\"栏目页，旧网址已写进 content/zhengwu/tongzhi/_index.md 的 aliases\")",
            ])
        #expect(report.entries.allSatisfy { $0.notes.isEmpty })
        #expect(
            try mirror.read("zhengwu/tongzhi/t20200430_4567891.md") == """
                ---
                title: "关于举办2020年春季退役军人专场招聘会的通知"
                date: 2020-04-30 10:05
                source: "市人力资源和社会保障局"
                id: "4567891"
                aliases:
                  - "/zwgk/tzgg/202004/t20200430_4567891.html"
                ---

                各县（区）退役军人事务局：

                为帮助退役军人就业，定于5月在市体育馆举办专场招聘会。

                | 时间 | 地点 |
                | --- | --- |
                | 5月8日 | 市体育馆 |

                外层说明

                1. 报名时间：即日起
                2. 报名方式：现场报名

                ![招聘海报](W020200430_招聘海报.jpg)

                市人力资源和社会保障局\\
                2020年4月30日

                """)
        #expect(mirror.files["zhengwu/tongzhi/W020200430_招聘海报.jpg"] == Data(Self.picture))
        #expect(try mirror.read("zhengwu/_index.md") == "---\ntitle: \"政务公开\"\n---\n")
        // The old list's further pages (TRS counts `index_1.html` for the second) lead to the new column too.
        #expect(
            try mirror.read("zhengwu/tongzhi/_index.md")
                == "---\ntitle: \"通知公告\"\naliases:\n  - \"/zwgk/tzgg/index.html\"\n  - \"/zwgk/tzgg/index_1.html\"\n---\n"
        )
    }

    /// A column's list pages read before any article links the column (TRS articles straight in the column's folder
    /// sort after `index.html`), a Hanweb list page saved with its query, and `page/N/` pages: each leads to its new
    /// column, and a later run reports a new further page of a column it did not create.
    @Test func oldListPagesLeadToTheirNewColumns() throws {
        let article = """
            <meta charset=utf-8><meta name=ArticleTitle content=文章><meta name=PubDate content=2020-04-30>
            <div>当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/tzgg/">通知公告</a></div><div id=zoom>正文</div>
            """
        let hanweb = """
            <meta charset=utf-8><meta name=ArticleTitle content=动态><meta name=PubDate content=2020-04-29>
            <div>当前位置：<a href="/">首页</a> &gt; <a href="/col/col1229/index.html">市县动态</a></div><div id=zoom>动态正文</div>
            """
        let list = Array("<meta charset=utf-8><ul><li><a href=t20200430_4567891.html>文章</a></li></ul>".utf8)
        let mirror = try Mirror([
            "zwgk/tzgg/index.html": list, "zwgk/tzgg/index_1.html": list, "zwgk/tzgg/index_12.html": list,
            "zwgk/tzgg/t20200430_4567891.html": Array(article.utf8),
            "col/col1229/index.html": list, "col/col1229/index.html?uid=4567&pageNum=2.html": list,
            "col/col1229/page/2/index.html": list, "col/col1229/index_x.html": list,
            "art/2020/4/29/art_1229_4567889.html": Array(hanweb.utf8),
        ])
        let report = try mirror.run()
        let tongzhi = "content/通知公告/_index.md"
        let dongtai = "content/市县动态/_index.md"
        #expect(
            report.entries.map { "\($0.oldURL) \($0.outcome)" } == [
                "/art/2020/4/29/art_1229_4567889.html imported(\"content/市县动态/art_1229_4567889.md\")",
                "/col/col1229/index.html skipped(\"栏目页，旧网址已写进 \(dongtai) 的 aliases\")",
                "/col/col1229/index.html?uid=4567&pageNum=2 skipped(\"栏目的翻页，由 \(dongtai) 里 /col/col1229/index.html 的转向带到新栏目（路径相同，? 后的参数不影响这条转向）\")",
                "/col/col1229/index_x.html skipped(\"没有正文（列表页或其他页面）\")",
                "/col/col1229/page/2/index.html skipped(\"栏目页，旧网址已写进 \(dongtai) 的 aliases\")",
                "/zwgk/tzgg/index.html skipped(\"栏目页，旧网址已写进 \(tongzhi) 的 aliases\")",
                "/zwgk/tzgg/index_1.html skipped(\"栏目页，旧网址已写进 \(tongzhi) 的 aliases\")",
                "/zwgk/tzgg/index_12.html skipped(\"栏目页，旧网址已写进 \(tongzhi) 的 aliases\")",
                "/zwgk/tzgg/t20200430_4567891.html imported(\"content/通知公告/t20200430_4567891.md\")",
            ])
        #expect(
            try mirror.read("通知公告/_index.md") == """
                ---
                title: "通知公告"
                aliases:
                  - "/zwgk/tzgg/index.html"
                  - "/zwgk/tzgg/index_1.html"
                  - "/zwgk/tzgg/index_12.html"
                ---

                """)
        #expect(
            try mirror.read("市县动态/_index.md") == """
                ---
                title: "市县动态"
                aliases:
                  - "/col/col1229/index.html"
                  - "/col/col1229/page/2/index.html"
                ---

                """)

        // The old site grew a page; the column's `_index.md` is the editor's now, so the run says what to add.
        try mirror.write(list, to: "old/zwgk/tzgg/index_13.html")
        let again = try mirror.run()
        #expect(again.imported == 0)
        #expect(
            again.entries.first { $0.oldURL == "/zwgk/tzgg/index_13.html" }?.outcome
                == .skipped("栏目的翻页，没有转向：要转向，把 /zwgk/tzgg/index_13.html 加进 \(tongzhi) 的 aliases"))

        // The imported site builds, and every old list page answers with its new column.
        try mirror.write(Array(TestSite.home.utf8), to: "site/content/_index.md")
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("templates"),
            to: mirror.root.appendingPathComponent("site/templates"))
        let build = Generator(options: BuildOptions(siteRoot: mirror.root.appendingPathComponent("site"))).build(
            now: testNow)
        #expect(build.succeeded, "\(build.diagnostics)")
        let rules = try String(
            contentsOf: mirror.root.appendingPathComponent("site/public/_redirects.nginx"), encoding: .utf8)
        for old in ["/zwgk/tzgg/index_1.html", "/zwgk/tzgg/index_12.html", "/col/col1229/page/2/index.html"] {
            #expect(rules.contains("location = \"\(old)\""), "\(old)")
            let page = try String(
                contentsOf: mirror.root.appendingPathComponent("site/public" + old), encoding: .utf8)
            #expect(page.contains("url=/"), "\(old)")
        }
    }

    /// Importing into a column that was there before: its `_index.md` is left alone, and the run says which old list
    /// pages to add to its aliases.
    @Test func theListPagesOfAColumnThatWasThereAreReportedWithTheAliasToAdd() throws {
        let mirror = try Self.trsMirror()
        let column = "---\ntitle: 通知公告\nkind: 通知公告\n---\n"
        try mirror.write(Array("---\ntitle: 政务公开\n---\n".utf8), to: "site/content/zhengwu/_index.md")
        try mirror.write(Array(column.utf8), to: "site/content/zhengwu/tongzhi/_index.md")
        let report = try mirror.run { $0.into = "zhengwu/tongzhi" }
        let index = "content/zhengwu/tongzhi/_index.md"
        #expect(
            report.entries.map { "\($0.oldURL) \($0.outcome)" } == [
                "/zwgk/tzgg/202004/t20200430_4567891.html imported(\"content/zhengwu/tongzhi/t20200430_4567891.md\")",
                "/zwgk/tzgg/index.html skipped(\"栏目页，没有转向：要转向，把 /zwgk/tzgg/index.html 加进 \(index) 的 aliases\")",
                "/zwgk/tzgg/index_1.html skipped(\"栏目页，没有转向：要转向，把 /zwgk/tzgg/index_1.html 加进 \(index) 的 aliases\")",
            ])
        #expect(try mirror.read("zhengwu/tongzhi/_index.md") == column)
    }

    @Test(arguments: [
        ("/zwgk/tzgg/index_1.html", "/zwgk/tzgg/index.html"), ("/a/index_23.shtml", "/a/index.shtml"),
        ("/a/default_2.htm", "/a/default.htm"), ("/news/page/3/index.html", "/news/index.html"),
        ("/col/col1229/index.html?uid=1&pageNum=2.html", "/col/col1229/index.html"), ("/a/index_.html", nil),
        ("/a/index_x1.html", nil), ("/a/index.html", nil), ("/a/page/x/index.html", nil),
        ("/art/2020/4/30/art_1229_4567890.html", nil),
    ])
    func furtherListPagesAreKnownByTheirNames(url: String, first: String?) {
        #expect(SiteImporter.firstListPage(of: url) == first)
    }

    @Test func brokenMarkupIsRepairedAsABrowserWouldAndNoTextIsLost() throws {
        let mirror = try Mirror(["a/broken.html": Array(Self.brokenArticle.utf8)])
        let report = try mirror.run()
        #expect(report.imported == 1)
        let text = try mirror.read("imported/broken.md")
        #expect(text.hasPrefix("---\ntitle: \"破损页面的文章\"\ndate: 2021-03-05 08:30\n"))
        // gumbo reopens the `<b><i>` left open in the second paragraph, as browsers do.
        #expect(text.hasSuffix("\n---\n\n第一段**加粗*斜体***\n\n***第二段**继续*\n"))
    }

    /// A link with a host is the old site's only when the host is the mirror folder's name (wget names it so):
    /// another site's link stays as written even where the mirror has the same path, and its images are left out
    /// (a page must not load pictures from other sites).
    @Test func linksToOtherSitesStayAndTheirPicturesAreLeftOut() throws {
        let mirror = try Mirror([
            "a.html": Array(
                """
                <meta charset=utf-8><meta name=ArticleTitle content=链接><meta name=PubDate content=2020-01-02>
                <div id=zoom>
                <p><a href="http://www.gov.cn/index.html">国</a>、<a href="HTTP://OLD/index.html">本站</a>、\
                <a href="mailto:a@example.gov.cn">信箱</a>、<a href="a//index.html">怪</a></p>
                <p><img src="https://cdn.example.com/p.jpg"><img src="//old/p.jpg" alt="本站图"></p></div>
                """.utf8),
            "index.html": Array("<p>首页</p>".utf8), "p.jpg": Self.picture,
        ])
        let report = try mirror.run()
        #expect(report.entries[0].notes == ["图片不在旧网站里，没有导入：https://cdn.example.com/p.jpg"])
        #expect(
            try mirror.read("imported/a.md").hasSuffix(
                """
                ---

                [国](http://www.gov.cn/index.html)、[本站](/index.html)、[信箱](mailto:a@example.gov.cn)、[怪](/a/index.html)

                ![本站图](p.jpg)

                """))
    }

    /// Every character of the old body's text is in the Markdown, in order.
    @Test func captionsLooseListTextAndWordIslandsFindTheirPlace() throws {
        guard
            case .article(let extracted) = PageExtractor.extract(
                HTMLDocument.parse(Self.oddStructures), rules: ImportRules())
        else {
            Issue.record("not read as an article")
            return
        }
        #expect(
            MarkdownWriter().markdown(of: extracted.body) == """
                表1　名单

                | 甲 | 乙 |
                | --- | --- |

                - 前言
                - 一
                - \\- 二

                字体里的第一段

                第二段 **粗体**

                ```
                  代码 *不转义*
                ```

                """)
    }

    /// A second caption after rows (found by the fuzzer): written in place, not gathered before a pipe table.
    static let twoCaptions = """
        <meta name=ArticleTitle content=表><meta name=PubDate content=2020-01-01><div id=zoom><table>
        <caption>表一</caption><tr><td>甲<td>乙<caption>表二</caption><tr><td>丙<td>丁</table></div>
        """

    @Test(arguments: [
        hanwebArticle, trsArticle, brokenArticle, hanwebEarlier, oddStructures, twoCaptions, hanwebInformation,
        trsInformation,
    ])
    func everyCharacterOfTheBodyIsKept(page: String) throws {
        let root = HTMLDocument.parse(page)
        guard case .article(let extracted) = PageExtractor.extract(root, rules: ImportRules()) else {
            Issue.record("not read as an article")
            return
        }
        let markdown = MarkdownWriter().markdown(of: extracted.body)
        var remaining = Substring(markdown)
        for character in extracted.body.text where !character.isWhitespace {
            guard let found = remaining.firstIndex(of: character) else {
                Issue.record("“\(character)” missing after: \(remaining.prefix(40))")
                return
            }
            remaining = remaining[remaining.index(after: found)...]
        }
    }

    @Test func runningTheImportAgainImportsNothingTwice() throws {
        let mirror = try Self.hanwebMirror()
        _ = try mirror.run()
        let before = mirror.files
        let again = try mirror.run()
        #expect(again.imported == 0)
        #expect(
            again.entries.map { "\($0.outcome)" }.prefix(2) == [
                "skipped(\"已经导入过（content/三服务专题/市县动态/art_1229_4567889.md）\")",
                "skipped(\"已经导入过（content/三服务专题/市县动态/art_1229_4567890.md）\")",
            ])
        #expect(mirror.files == before)
    }

    /// The same article saved at two old URLs is imported once; the second URL becomes another alias, so it
    /// redirects too and a second run skips it.
    @Test func aDuplicateBecomesASecondAlias() throws {
        let mirror = try Mirror([
            "art/2020/4/30/art_1229_4567890.html": Array(Self.hanwebArticle.utf8),
            "picture/0/白石走访.jpg": Self.picture,
            "print/art_1229_4567890.html": Array(Self.hanwebArticle.utf8),
        ])
        let report = try mirror.run()
        #expect(
            report.entries.map { "\($0.outcome)" } == [
                "imported(\"content/三服务专题/市县动态/art_1229_4567890.md\")",
                "skipped(\"与 /art/2020/4/30/art_1229_4567890.html 重复，旧网址加为 content/三服务专题/市县动态/art_1229_4567890.md 的别名\")",
            ])
        #expect(
            try mirror.read("三服务专题/市县动态/art_1229_4567890.md").contains(
                "aliases:\n  - \"/art/2020/4/30/art_1229_4567890.html\"\n  - \"/print/art_1229_4567890.html\"\n---\n"))
        #expect(try mirror.run().imported == 0)
    }

    /// Old dynamic pages saved by `wget --mirror`: the query stays in the file's name after `?`, or after `@` with
    /// `--restrict-file-names=windows`, with `.html` added by `--adjust-extension`. The old URL keeps the query.
    @Test func pagesSavedWithTheirQueryKeepItInTheirOldURL() throws {
        func page(_ title: String) -> [UInt8] {
            Array(
                """
                <meta charset=utf-8><meta name=ArticleTitle content=\(title)><meta name=PubDate content=2020-04-30>
                <div id=zoom>\(title)的正文</div>
                """.utf8)
        }
        let mirror = try Mirror([
            "show.asp?id=5": page("五"), "news/show.asp@id=6.html": page("六"),
            "visit.jsp?columnid=1229&artid=7.html": page("七"), "about.php": page("关于"),
            "list.asp@cat=1": Array("<meta charset=utf-8><ul><li>列表</li></ul>".utf8), "logo@2x.png": [1, 2],
        ])
        let report = try mirror.run()
        #expect(
            report.entries.map { "\($0.oldURL) \($0.outcome)" } == [
                "/about.php imported(\"content/imported/about.md\")",
                "/list.asp?cat=1 skipped(\"没有正文（列表页或其他页面）\")",
                "/news/show.asp?id=6 imported(\"content/imported/show_6.md\")",
                "/show.asp?id=5 imported(\"content/imported/show_5.md\")",
                "/visit.jsp?columnid=1229&artid=7 imported(\"content/imported/visit_1229_7.md\")",
            ])
        let five = try mirror.read("imported/show_5.md")
        #expect(five.contains("\nid: \"5\"\n"), "\(five)")
        #expect(five.contains("aliases:\n  - \"/show.asp?id=5\"\n"))
        // Two numbers: which one is the article's is not known.
        #expect(!(try mirror.read("imported/visit_1229_7.md")).contains("\nid:"))
        #expect(try mirror.run().imported == 0)
    }

    @Test(arguments: [
        ("show.asp?id=5", "/show.asp?id=5"), ("a/show.asp@id=5.html", "/a/show.asp?id=5"),
        ("index.html?uid=1&pageNum=2.html", "/index.html?uid=1&pageNum=2"), ("show.asp?", "/show.asp"),
        ("a/b.html", "/a/b.html"), ("a@b.html", "/a@b.html"), ("logo@2x.png", nil), ("a.asp?x", "/a.asp?x"),
        ("readme.txt?x=1", nil),
    ])
    func savedFileNamesGiveTheOldURL(file: String, url: String?) {
        #expect(SiteImporter.oldURL(ofSavedFile: file)?.url == url)
    }

    @Test func oldURLsAlreadyInContentAreSkippedInEveryAliasForm() throws {
        let mirror = try Self.hanwebMirror()
        try mirror.write(
            Array("---\ntitle: 已有\ndate: 2020-04-30\naliases: [/art/2020/4/30/art_1229_4567890.html]\n---\n".utf8),
            to: "site/content/sanfuwu/a.md")
        try mirror.write(
            Array("---\ntitle: 栏目\naliases: /art/2020/4/29/art_1229_%34567889.html\n---\n".utf8),
            to: "site/content/sanfuwu/_index.md")
        let report = try mirror.run()
        #expect(report.imported == 0)
        #expect(report.entries[0].outcome == .skipped("栏目页，旧网址已写进 content/sanfuwu/_index.md 的 aliases"))
        #expect(report.entries[1].outcome == .skipped("已经导入过（content/sanfuwu/a.md）"))
    }

    /// Files saved on Windows (CRLF line ends, a byte order mark) read as their LF twins: the aliases of an article
    /// already in `content/`, a column map and a rules file whose first line is a comment.
    @Test func windowsLineEndsAndAByteOrderMarkReadAsUnixFiles() throws {
        let mirror = try Self.hanwebMirror()
        try mirror.write(
            Array(
                "\u{FEFF}---\r\ntitle: 已有\r\ndate: 2020-04-30\r\naliases:\r\n  - /art/2020/4/30/art_1229_4567890.html\r\n---\r\n"
                    .utf8),
            to: "site/content/sanfuwu/a.md")
        let report = try mirror.run()
        #expect(report.entries[1].outcome == .skipped("已经导入过（content/sanfuwu/a.md）"))
        let map = try ColumnMap(reading: "\u{FEFF}# 旧栏目 = 目录\r\n市县动态 = sanfuwu/shixian\r\n")
        #expect(map.folder(for: "/a.html", breadcrumb: ["三服务专题", "市县动态"]) == "sanfuwu/shixian")
        let rules = try ImportRules(reading: "\u{FEFF}# 选择器\r\ntitle = div.zt\r\nbody = .nr, #zoom\r\n")
        #expect(rules.title.map(\.description) == ["div.zt"])
        #expect(rules.body.map(\.description) == [".nr", "#zoom"])
    }

    @Test func theColumnMapAndIntoChooseTheFolder() throws {
        let mirror = try Self.hanwebMirror()
        var map = try ColumnMap(
            reading: """
                # 旧栏目 = 目录
                三服务专题 > 市县动态 = content/sanfuwu/shixian/
                /art/2020/4/29/ = sanfuwu/earlier
                """)
        let report = try mirror.run {
            $0.columnMap = map
            $0.into = "ignored"
        }
        #expect(
            report.entries.prefix(2).map { "\($0.outcome)" } == [
                "imported(\"content/sanfuwu/earlier/art_1229_4567889.md\")",
                "imported(\"content/sanfuwu/shixian/art_1229_4567890.md\")",
            ])
        map = try ColumnMap(reading: "市县动态 = x")
        #expect(map.folder(for: "/a.html", breadcrumb: ["三服务专题", "市县动态"]) == "x")
    }

    @Test(arguments: [
        ("没有等号", 1, "这一行不是“旧栏目 = 目录”的形式：没有等号"),
        ("\n/a/ = ../escape", 2, "这一行不是“旧栏目 = 目录”的形式：/a/ = ../escape"),
        (" = folder", 1, "这一行不是“旧栏目 = 目录”的形式： = folder"),
    ])
    func aBadColumnMapLineIsNamed(text: String, line: Int, message: String) {
        #expect(throws: ImportProblem.self) { try ColumnMap(reading: text) }
        do {
            _ = try ColumnMap(reading: text)
        } catch {
            #expect(error.line == line)
            #expect(error.message == message)
        }
    }

    @Test func aRulesFileReplacesTheSelectors() throws {
        let page = """
            <html><head><meta charset="utf-8"></head><body>
            <div class="zt">规则文件的标题</div><div class="sj">日期 2020-05-06</div>
            <div class="content">不是正文</div><div class="nr"><p>真正的正文。</p></div></body></html>
            """
        let rules = try ImportRules(
            reading: """
                # 旧网站的选择器
                title = div.zt
                metadata = .sj
                body = .nr, #zoom
                """)
        #expect(rules.body.map(\.description) == [".nr", "#zoom"])
        guard case .article(let extracted) = PageExtractor.extract(HTMLDocument.parse(page), rules: rules) else {
            Issue.record("not read as an article")
            return
        }
        #expect(extracted.title == "规则文件的标题")
        #expect(extracted.date == "2020-05-06")
        #expect(MarkdownWriter().markdown(of: extracted.body) == "真正的正文。\n")
        #expect(throws: ImportProblem.self) { try ImportRules(reading: "body = div p") }
        #expect(throws: ImportProblem.self) { try ImportRules(reading: "heading = h1") }
    }

    // MARK: 政务公开

    /// A Hanweb 信息公开 page: the fields in a table above the body, labels in cells of their own (spaced out with
    /// `&nbsp;` and ideographic spaces), values in the next cells.
    static let hanwebInformation = """
        <html><head><meta charset="utf-8"><meta name="ArticleTitle" content="关于印发2020年退役军人就业工作要点的通知">
        <meta name="PubDate" content="2020-05-06 16:20"><meta name="ContentSource" content="青禾市退役军人事务局"></head>
        <body><div class="position">当前位置：<a href="/index.html">首页</a> &gt; <a href="/col/col1301/index.html">政策文件</a></div>
        <table class="xxgk_table" width="100%">
        <tr><td class="t1">索&nbsp;引&nbsp;号：</td><td>11330100MB1234567X/2020-00031</td><td class="t1">主题分类：</td><td>劳动、人事、监察</td></tr>
        <tr><td class="t1">发布机构：</td><td>青禾市退役军人事务局</td><td class="t1">成文日期：</td><td>2020-04-28</td></tr>
        <tr><td class="t1">文　　号：</td><td>青退役军人〔2020〕12号</td><td class="t1">发布日期：</td><td>2020-05-06</td></tr>
        <tr><td class="t1">有 效 性：</td><td>有效</td><td class="t1">公开方式：</td><td></td></tr>
        </table>
        <div id="zoom"><p>各区、县（市）退役军人事务局：</p><p>现将《要点》印发给你们，请认真贯彻落实。</p></div>
        </body></html>
        """

    /// A TRS 信息公开 page in GB2312: the fields as lines `索引号：…` (two on one line), no meta tags; the body's own
    /// `有效性：` line is the body's, not the page's.
    static let trsInformation = """
        <html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
        <title>关于公布2020年度优抚对象名单的公示</title></head><body>
        <div class="bread">您现在的位置：<a href="../">首页</a> &gt; 政府信息公开</div>
        <div class="xxgk_info"><ul><li><span>索引号：</span>000014349/2020-00012</li>
        <li><span>发文机关：</span>市退役军人事务局</li>
        <li>成文日期：2020年04月27日　发文字号：青退役军人函〔2020〕5号</li><li><span>主题分类：</span>优抚安置</li></ul></div>
        <h1>关于公布2020年度优抚对象名单的公示</h1>
        <div class="info">发布时间：2020-04-30&nbsp;&nbsp;来源：市退役军人事务局</div>
        <div class="TRS_Editor"><p>经审核，现将名单公示如下。</p><p>有效性：本公示自发布之日起生效</p></div>
        </body></html>
        """

    @Test func publicInformationFieldsComeIntoTheirFrontMatterFields() throws {
        let mirror = try Mirror([
            "art/2020/5/6/art_1301_4567892.html": Array(Self.hanwebInformation.utf8),
            "zwgk/202004/t20200430_4567893.html": Self.gbk(Self.trsInformation),
        ])
        let report = try mirror.run()
        #expect(report.imported == 2, "\(report.entries)")
        #expect(
            try mirror.read("政策文件/art_1301_4567892.md") == """
                ---
                title: "关于印发2020年退役军人就业工作要点的通知"
                date: 2020-05-06 16:20
                source: "青禾市退役军人事务局"
                index_no: "11330100MB1234567X/2020-00031"
                issuer: "青禾市退役军人事务局"
                written_date: 2020-04-28
                doc_no: "青退役军人〔2020〕12号"
                topic: "劳动、人事、监察"
                validity: "有效"
                id: "4567892"
                aliases:
                  - "/art/2020/5/6/art_1301_4567892.html"
                ---

                各区、县（市）退役军人事务局：

                现将《要点》印发给你们，请认真贯彻落实。

                """)
        #expect(
            try mirror.read("政府信息公开/t20200430_4567893.md") == """
                ---
                title: "关于公布2020年度优抚对象名单的公示"
                date: 2020-04-30
                source: "市退役军人事务局"
                index_no: "000014349/2020-00012"
                issuer: "市退役军人事务局"
                written_date: 2020-04-27
                doc_no: "青退役军人函〔2020〕5号"
                topic: "优抚安置"
                id: "4567893"
                aliases:
                  - "/zwgk/202004/t20200430_4567893.html"
                ---

                经审核，现将名单公示如下。

                有效性：本公示自发布之日起生效

                """)

        // The imported site builds and shows the information table above the title.
        try mirror.write(Array(TestSite.home.utf8), to: "site/content/_index.md")
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("templates"),
            to: mirror.root.appendingPathComponent("site/templates"))
        let build = Generator(options: BuildOptions(siteRoot: mirror.root.appendingPathComponent("site"))).build(
            now: testNow)
        #expect(build.succeeded, "\(build.diagnostics)")
        let page = try String(
            contentsOf: mirror.root.appendingPathComponent("site/public/政策文件/art_1301_4567892/index.html"),
            encoding: .utf8)
        #expect(page.contains("<td>11330100MB1234567X/2020-00031</td>"))
        #expect(page.contains("<td>青退役军人〔2020〕12号</td>"))
    }

    // MARK: Pages that are not articles

    @Test(arguments: [
        (
            "<meta name=PubDate content=2020-01-02><title> </title><div id=zoom><p>正文</p></div>",
            "找不到标题"
        ),
        ("<meta name=ArticleTitle content=标题><div id=zoom><p>正文，没有日期。</p></div>", "找不到发布日期"),
        (
            "<meta name=ArticleTitle content=标题><meta name=PubDate content=2020-01-02><div class=zw>正文</div>",
            "有标题但找不到正文（可用 body 选择器指定）"
        ),
        ("<title>通知公告</title><ul><li><a href=a.html>一篇文章</a> 2020-01-02</li></ul>", "没有正文（列表页或其他页面）"),
    ])
    func pagesThatAreNotArticlesSaySo(page: String, reason: String) throws {
        let mirror = try Mirror(["a.html": Array(page.utf8)])
        let report = try mirror.run()
        #expect(report.entries.map(\.outcome) == [.skipped(reason)])
        #expect(mirror.files.isEmpty)
    }

    /// Without a title in the meta tags or the usual elements, the page's `<title>` is the title, without the
    /// column and site names CMSs add to it.
    @Test(arguments: [
        ("开展走访活动_市县动态_青禾市退役军人事务局", "开展走访活动"), ("开展走访活动 - 青禾市人民政府", "开展走访活动"),
        ("开展走访活动", "开展走访活动"), ("_开头的下划线", "_开头的下划线"),
    ])
    func thePageTitleIsTheLastResort(title: String, expected: String) throws {
        let mirror = try Mirror([
            "a.html": Array(
                "<title>\(title)</title><div class=info>发布日期：2020-01-02</div><div id=zoom>正文</div>".utf8)
        ])
        let report = try mirror.run()
        #expect(report.imported == 1)
        #expect(try mirror.read("imported/a.md").hasPrefix("---\ntitle: \"\(expected)\"\ndate: 2020-01-02\n"))
    }

    // MARK: Charsets

    @Test func charsetsAreReadAsDeclaredAndMistakesReported() throws {
        let chinese = "<p>退役军人</p>"
        let declaredGBK = PageDecoding.decode(Self.gbk("<meta charset=\"GBK\">" + chinese))
        #expect(declaredGBK?.text == "<meta charset=\"GBK\">" + chinese)
        #expect(declaredGBK?.charset == "GB18030")
        #expect(declaredGBK?.problem == nil)
        let wrong = PageDecoding.decode(Array(("<meta charset=gb2312>" + chinese).utf8))
        #expect(wrong?.charset == "UTF-8")
        #expect(wrong?.problem == "声明的编码是 gb2312，实际是 UTF-8")
        let undeclared = PageDecoding.decode(Self.gbk(chinese))
        #expect(undeclared?.text == chinese)
        #expect(undeclared?.problem == "没有声明编码，按 GBK/GB18030 读取")
        let wrongUTF8 = PageDecoding.decode(Self.gbk("<meta charset=\"utf-8\">" + chinese))
        #expect(wrongUTF8?.problem == "声明的编码是 utf-8，实际是 GBK/GB18030")
        #expect(PageDecoding.decode([0xEF, 0xBB, 0xBF] + Array(chinese.utf8))?.text == chinese)
        // 0xFF is neither UTF-8 nor GB18030.
        #expect(PageDecoding.decode([0x3C, 0xFF, 0xFF, 0x3E]) == nil)
    }

    @Test func aPageInNoKnownCharsetFailsAndTheRunGoesOn() throws {
        let mirror = try Mirror([
            "a.html": [0x3C, 0x70, 0x3E, 0xFF, 0xFF, 0x80],
            "b.html": Array(Self.hanwebEarlier.utf8),
        ])
        let report = try mirror.run()
        #expect(report.entries[0].outcome == .failed("既不是 UTF-8 也不是 GBK/GB18030 编码，无法读取"))
        #expect(report.imported == 1)
        #expect(report.summary == "导入 1 篇，跳过 0 页，失败 1 页")
    }

    // MARK: Hostile input

    /// Very deep nesting, NUL bytes and huge attributes: read without crashing, the text past the depth limit kept.
    @Test func hostilePagesAreReadWithoutCrashing() throws {
        let deep =
            "<meta name=ArticleTitle content=深><meta name=PubDate content=2020-01-02><div id=zoom>"
            + String(repeating: "<div>", count: 20_000) + "最深处的字" + String(repeating: "</div>", count: 20_000)
            + "</div>"
        let root = HTMLDocument.parse(deep)
        guard case .article(let extracted) = PageExtractor.extract(root, rules: ImportRules()) else {
            Issue.record("not read as an article")
            return
        }
        #expect(MarkdownWriter().markdown(of: extracted.body) == "最深处的字\n")
        let strange = "<p a=\"" + String(repeating: "x", count: 100_000) + "\">\u{0}文字<td><tr></table></p>"
        #expect(HTMLDocument.parse(strange).text.contains("文字"))
        #expect(HTMLDocument.parse("").name == "html")
    }

    /// A link out of the mirror is neither read as a page nor copied as an image.
    @Test func symbolicLinksOutOfTheMirrorAreNotFollowed() throws {
        let outside = testScratch.appendingPathComponent("outside-\(UUID().uuidString).html")
        try Data(Self.hanwebEarlier.utf8).write(to: outside)
        let mirror = try Mirror([
            "a.html": Array(
                "<meta name=ArticleTitle content=甲><meta name=PubDate content=2020-01-02><div id=zoom><img src=x.jpg>正文</div>"
                    .utf8)
        ])
        try FileManager.default.createSymbolicLink(
            at: mirror.oldSite.appendingPathComponent("b.html"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(
            at: mirror.oldSite.appendingPathComponent("x.jpg"), withDestinationURL: outside)
        let report = try mirror.run()
        #expect(report.entries.map(\.oldURL) == ["/a.html"])
        #expect(report.entries[0].notes.contains("图片找不到，没有导入：x.jpg"))
        #expect(mirror.files.keys.sorted() == ["imported/_index.md", "imported/a.md"])
    }

    @Test(arguments: [
        ("2020-04-30 09:17", "2020-04-30 09:17"), ("发布日期：2020年4月30日", "2020-04-30"),
        ("2020/4/3 9:05:10", "2020-04-03 09:05"), ("1999.12.31", "1999-12-31"), ("编号 12345 2020-13-01", nil),
        ("2020-02-30 2020-02-29", "2020-02-29"),
        // A digit run far past Int's range (found by the fuzzer) crashed the reading.
        (String(repeating: "2", count: 40) + " 2021-1-2", "2021-01-02"),
    ])
    func datesAreFoundInTheirUsualForms(text: String, expected: String?) {
        #expect(PageExtractor.findDate(in: text) == expected)
    }
}
