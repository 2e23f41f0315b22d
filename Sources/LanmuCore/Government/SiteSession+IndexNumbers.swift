import Foundation

extension SiteSession {
    /// Gives generated 索引号 to the published articles of columns with `index_no: auto` (and the columns below them)
    /// that have no `index_no` of their own, from the ledger in `content/` and the next free numbers; the site keeps
    /// the numbers and the ledger, which `Generator.build` writes back when it grew.
    func assignIndexNumbers(_ site: inout Site) -> [Diagnostic] {
        let autoSections = site.sections.indices.filter { site.sections[$0].autoIndexNumbers != nil }
        guard !autoSections.isEmpty else { return [] }
        guard let orgCode = site.settings.government.orgCode else {
            return autoSections.map {
                Diagnostic(
                    .invalidSetting, at: site.sections[$0].autoIndexNumbers!,
                    "index_no: auto 需要站点设置 org_code（机构代码）来生成索引号",
                    hint: "在 content/_index.md 里写上本机关的机构代码，例如 org_code: 11330000002482162P")
            }
        }
        var diagnostics: [Diagnostic] = []
        let url = options.contentDirectory.appendingPathComponent(IndexNumbers.ledgerName)
        var ledger = IndexNumbers()
        if FileManager.default.fileExists(atPath: url.path) {
            switch loader.read(url).flatMap({ TextDecoding.decode($0, file: display(url)) }) {
            case .success(let text): ledger = IndexNumbers(ledger: text, file: display(url), diagnostics: &diagnostics)
            case .failure(let diagnostic): return [diagnostic]
            }
        }
        let original = ledger
        let auto = Set(autoSections)
        var eligible: [Int] = []
        for (index, article) in site.articles.enumerated()
        where article.parsed.frontMatter.information.indexNumber == nil
            && site.ancestry(of: article.section).contains(where: auto.contains)
        {
            eligible.append(index)
        }
        eligible.sort {
            let (a, b) = (site.articles[$0], site.articles[$1])
            return a.date == b.date ? a.contentPath < b.contentPath : a.date < b.date
        }
        ledger.assign(
            eligible.map { (site.articles[$0].contentPath, Int(site.articles[$0].parsed.isoDate.prefix(4)) ?? 0) },
            orgCode: orgCode)
        for index in eligible { site.indexNumbers[index] = ledger.number(for: site.articles[index].contentPath) }
        site.indexLedger = ledger
        site.indexLedgerChanged = ledger != original
        return diagnostics
    }
}
