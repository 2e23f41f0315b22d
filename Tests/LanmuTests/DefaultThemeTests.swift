import Foundation
import Testing

@testable import LanmuCore

/// The default theme carried by the binary: the same bytes as templates/, used where a site has no templates of its
/// own, overridden file by file where it has.
@Suite struct DefaultThemeTests {
    /// The build-tool plugin embeds templates/ as it is at build time: every file, byte for byte, nothing more.
    @Test func theEmbeddedThemeIsTheTemplatesFolderByteForByte() {
        let folder = snapshot(of: repositoryRoot.appendingPathComponent("templates"))
            .filter { !$0.key.split(separator: "/").contains { $0.hasPrefix(".") } }
        #expect(DefaultTheme.files.keys.sorted() == folder.keys.sorted())
        for (path, bytes) in folder {
            #expect(DefaultTheme.files[path] == [UInt8](bytes), "templates/\(path) differs from the embedded copy")
        }
        #expect(DefaultTheme.templates.keys.contains("home"))
        #expect(DefaultTheme.assetPaths.contains("css/lanmu.css"))
    }

    /// A site without templates/ builds exactly as one holding the exported theme, and as one holding a copy of
    /// templates/.
    @Test func aSiteWithoutTemplatesBuildsAsWithTheExportedTheme() throws {
        let bare = try TestSite(TestSite.column(articles: 5, paginate: 2), copyTemplates: false)
        let bareReport = bare.build()
        #expect(bareReport.succeeded, "\(bareReport.diagnostics)")
        #expect(bareReport.diagnostics.isEmpty, "\(bareReport.diagnostics)")

        let exported = try TestSite(TestSite.column(articles: 5, paginate: 2), copyTemplates: false)
        try DefaultTheme.export(to: exported.root.appendingPathComponent("templates"))
        #expect(exported.build().succeeded)
        let copied = try TestSite(TestSite.column(articles: 5, paginate: 2))
        #expect(copied.build().succeeded)

        #expect(bare.tree() == exported.tree())
        #expect(bare.tree() == copied.tree())
        #expect(bare.tree()["assets/css/lanmu.css"] == Data(DefaultTheme.files["assets/css/lanmu.css"]!))
    }

    /// A site's own templates and assets replace the default theme's files of the same name, one by one; the rest
    /// still come from the default theme.
    @Test func aSitesOwnFilesOverrideTheDefaultThemeOneByOne() throws {
        var files = TestSite.column(articles: 2)
        files["templates/partials/footer.mustache"] = "<footer>本站自己的页脚 {{site.name}}</footer>\n"
        files["templates/assets/css/lanmu.css"] = "body { color: black; }\n"
        files["templates/assets/img/logo.svg"] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"
        let site = try TestSite(files, copyTemplates: false)
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        let home = try site.read("public/index.html")
        #expect(home.contains("<footer>本站自己的页脚 测试站</footer>"))
        #expect(!home.contains(String(decoding: DefaultTheme.files["partials/footer.mustache"]!, as: UTF8.self)))
        let tree = site.tree()
        #expect(tree["assets/css/lanmu.css"] == Data("body { color: black; }\n".utf8))
        #expect(tree["assets/js/lanmu.js"] == Data(DefaultTheme.files["assets/js/lanmu.js"]!))
        #expect(tree["assets/img/logo.svg"] != nil)

        // The same site with the whole theme exported and the two files changed there: the same output.
        let whole = try TestSite(TestSite.column(articles: 2), copyTemplates: false)
        try DefaultTheme.export(to: whole.root.appendingPathComponent("templates"))
        for path in [
            "templates/partials/footer.mustache", "templates/assets/css/lanmu.css", "templates/assets/img/logo.svg",
        ] {
            try whole.write(files[path]!, to: path)
        }
        #expect(whole.build().succeeded)
        #expect(whole.tree() == tree)
    }

    /// A mistake in a site's own template is reported at that file; the default theme's files are named as such.
    @Test func problemsAreReportedAtTheSitesOwnFile() throws {
        var files = TestSite.column(articles: 1)
        files["templates/partials/footer.mustache"] = "<footer>{{site.nmae}}</footer>\n"
        let site = try TestSite(files, copyTemplates: false)
        let report = site.build()
        #expect(report.diagnostics.map(\.location.file).contains("templates/partials/footer.mustache"))
        #expect(DefaultTheme.display("home.mustache") == "（Lanmu 自带主题）templates/home.mustache")
    }

    /// The preview serves the default theme's assets too.
    @Test func thePreviewServesTheDefaultThemesAssets() throws {
        let site = try TestSite(TestSite.column(articles: 1), copyTemplates: false)
        let live = LiveSite(options: site.options)
        _ = live.rebuild(now: testNow)
        #expect(live.file(at: "assets/css/lanmu.css")?.bytes == DefaultTheme.files["assets/css/lanmu.css"])
    }
}
