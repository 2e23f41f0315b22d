import Foundation

/// What `lanmu audit` found: the site checked the way the national website inspection checks it, before the
/// inspectors do. Columns not updated within their windows, blank columns, a stale home page, items shown without a
/// date, broken links on every page (the home page's counted apart), and the site marks the settings lack.
public struct AuditReport: Sendable, Codable {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Codable, Comparable {
        /// Reaches a veto threshold (单项否决): the site fails the inspection.
        case veto
        /// Costs points (扣分).
        case deduction
        /// One step before a threshold, or something the inspectors would notice.
        case warning
        /// Worth knowing; costs nothing.
        case info

        private var rank: Int {
            switch self {
            case .veto: 0
            case .deduction: 1
            case .warning: 2
            case .info: 3
            }
        }

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

        /// The word shown to editors.
        public var chinese: String {
            switch self {
            case .veto: "单项否决"
            case .deduction: "扣分"
            case .warning: "提醒"
            case .info: "说明"
            }
        }
    }

    /// One finding, with the file (and line) it concerns when it has one.
    public struct Finding: Sendable, Codable, Equatable {
        /// `stale_column`, `blank_column`, `stale_home`, `undated_items`, `broken_link`, `missing_mark`,
        /// `unknown_kind`, `column_without_kind`.
        public var check: String
        public var severity: Severity
        public var file: String?
        public var line: Int?
        /// What is wrong, in Chinese.
        public var message: String
        /// What to do about it, in Chinese.
        public var hint: String?
        /// The page a broken link is on, and where it points.
        public var page: String?
        public var target: String?
    }

    /// Each column's state, most urgent first.
    public struct Column: Sendable, Codable, Equatable {
        public var title: String
        public var url: String
        public var file: String
        public var kind: String?
        /// Days within which it must publish; nil: no window.
        public var windowDays: Int?
        /// The newest published article's date (`YYYY-MM-DD`, site time zone); nil: blank.
        public var lastDate: String?
        /// Days since that article; nil: blank.
        public var daysSince: Int?
        /// Days left before the window closes (negative: days over); nil without a window or when blank.
        public var daysLeft: Int?
        public var articles: Int
    }

    /// The site's name, for the report's title.
    public var siteName: String
    /// The day audited (`YYYY-MM-DD`, site time zone).
    public var today: String
    /// `pass` or `veto`.
    public var verdict: String
    /// Points the deductions add up to.
    public var deductedPoints: Double
    public var findings: [Finding]
    public var columns: [Column]
    /// The home page's newest article date and its age in days; nil when the site has no article.
    public var homeLastDate: String?
    public var homeDaysSince: Int?
    /// Links checked on every page (links to other sites only with `--external`), and how many were broken on the
    /// home page and elsewhere.
    public var linksChecked: Int
    public var brokenOnHome: Int
    public var brokenElsewhere: Int

    /// Whether the site passes (no veto).
    public var passes: Bool { verdict == "pass" }
}

extension AuditReport {
    /// The day a `--today` text names: exactly `YYYY-MM-DD`, and a day the calendar has (read by the same
    /// `DateParser` that reads articles' dates); nil otherwise.
    public static func day(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let utc = TimeZone(identifier: "UTC")!
        guard text.utf8.count == 10, case .success(let date) = DateParser.parse(text, in: utc) else { return nil }
        let local = date.local(in: utc).time
        return (local.year, local.month, local.day)
    }
}

/// Runs the inspection's checks over a loaded site and its rendered pages. Pure: nothing is written.
struct SiteAudit {
    let site: Site
    let renderer: SiteRenderer
    let rules: AuditRules
    /// Days since 1970 of the day audited, in the site's time zone.
    let today: Int64
    /// The files copied into the output (theme assets, images and attachments beside the articles).
    let copied: [String]
    /// Checks links to other sites over HTTP; nil: they are not checked.
    var external: ExternalLinks?
    /// The site's own address with a trailing "/" (`https://www.example.gov.cn/`): links that start with it are the
    /// site's own.
    let ownAddress: String?

    init(loaded: LoadedSite, today: Int64, external: ExternalLinks? = nil) {
        let renderer = SiteRenderer(
            site: loaded.site, templates: loaded.templates, sitemap: loaded.sitemap, bodies: loaded.bodies)
        self.init(
            renderer: renderer, copied: loaded.copies.map(\.to) + loaded.themeAssets.map(Permalinks.assetPath),
            today: today, external: external)
    }

    /// An audit of the pages a renderer makes (the preview's last good build), with these files copied beside them.
    init(renderer: SiteRenderer, copied: [String], today: Int64, external: ExternalLinks? = nil) {
        self.site = renderer.site
        self.renderer = renderer
        self.copied = copied
        self.rules = renderer.site.settings.audit
        self.today = today
        self.external = external
        self.ownAddress = renderer.site.settings.baseURL.map { $0 + "/" }
    }

    /// Days since 1970 of an article's date in the site's time zone.
    private func day(of article: Int) -> Int64 {
        let local = site.articles[article].date.local(in: site.settings.timeZone).time
        return LocalDateTime.daysSince1970(year: local.year, month: local.month, day: local.day)
    }

    private func dateText(_ day: Int64) -> String {
        Self.dayFormat.string(from: LocalDateTime(secondsAsIfUTC: day * 86_400))
    }

    private static let dayFormat = DateFormat("yyyy-MM-dd")!

    func run() throws(BodyStore.Failure) -> AuditReport {
        var findings: [AuditReport.Finding] = []
        let columns = columnStates(into: &findings)
        let (homeLast, homeDays) = homePage(into: &findings)
        let links = try pages(into: &findings)
        siteMarks(home: links.homeMarks, into: &findings)
        let deducted =
            Double(links.home) * rules.homeLinkPoints + Double(links.elsewhere) * rules.otherLinkPoints
        findings.sort {
            ($0.severity, $0.check, $0.file ?? "", $0.page ?? "", $0.message)
                < ($1.severity, $1.check, $1.file ?? "", $1.page ?? "", $1.message)
        }
        return AuditReport(
            siteName: site.settings.siteName, today: dateText(today),
            verdict: findings.contains { $0.severity == .veto } ? "veto" : "pass",
            deductedPoints: (deducted * 100).rounded() / 100, findings: findings, columns: columns,
            homeLastDate: homeLast, homeDaysSince: homeDays, linksChecked: links.checked, brokenOnHome: links.home,
            brokenElsewhere: links.elsewhere)
    }

    // MARK: Columns

    private func columnStates(into findings: inout [AuditReport.Finding]) -> [AuditReport.Column] {
        var columns: [AuditReport.Column] = []
        var stale: [AuditReport.Finding] = []
        var blank: [AuditReport.Finding] = []
        for section in site.sections.dropFirst() {
            var window = rules.window(of: section)
            if let kind = section.kind, section.updateDays == nil, rules.windows[kind] == nil {
                window = nil
                findings.append(
                    .init(
                        check: "unknown_kind", severity: .warning, file: section.file,
                        line: section.kindLocation?.line,
                        message: "栏目“\(section.title)”的类型“\(kind)”不认识，没有按更新期限检查",
                        hint:
                            "写 \(rules.windows.keys.sorted().joined(separator: "、")) 之一，或用 update_days: 天数 直接设定；新的类型可以加进站点设置 update_windows"
                    ))
            } else if section.kind == nil, section.updateDays == nil {
                findings.append(
                    .init(
                        check: "column_without_kind", severity: .info, file: section.file, line: nil,
                        message: "栏目“\(section.title)”没有写类型（kind），没有按更新期限检查",
                        hint: "在它的 _index.md 里写 kind: 动态（或 要闻、通知公告、政策文件、专题）"))
            }
            let newest = section.allArticles.first
            let last = newest.map(day(of:))
            let since = last.map { Int(today - $0) }
            let left = window.flatMap { window in since.map { window - $0 } }
            columns.append(
                .init(
                    title: section.title, url: section.url, file: section.file, kind: section.kind, windowDays: window,
                    lastDate: last.map(dateText), daysSince: since, daysLeft: left,
                    articles: section.allArticles.count))
            guard let since, let last else {
                blank.append(
                    .init(
                        check: "blank_column", severity: .warning, file: section.file, line: nil,
                        message: "空白栏目：“\(section.title)”没有已发布的文章（草稿和定时发布的不算）",
                        hint: "发布文章，或删去这个栏目"))
                continue
            }
            guard let window, let left else { continue }
            if left < 0 {
                stale.append(
                    .init(
                        check: "stale_column", severity: .warning, file: section.file, line: nil,
                        message:
                            "栏目不更新：“\(section.title)”最近一篇是 \(dateText(last))，\(since) 天前，超过 \(window) 天期限 \(-left) 天",
                        hint: "在这个栏目发布新文章"))
            } else if left <= rules.warningDays {
                findings.append(
                    .init(
                        check: "column_due", severity: .warning, file: section.file, line: nil,
                        message: "栏目“\(section.title)”还有 \(left) 天到更新期限（\(window) 天，最近一篇 \(dateText(last))）",
                        hint: "近期在这个栏目发布新文章"))
            }
        }
        findings += escalate(stale, threshold: rules.staleColumnsVeto, what: "未按期更新的栏目")
        findings += escalate(blank, threshold: rules.blankColumnsVeto, what: "空白栏目")
        // Most urgent first: blank columns, then by the days left (the most overdue first), then those without a window.
        func urgency(_ column: AuditReport.Column) -> Int {
            column.lastDate == nil ? Int.min : column.daysLeft ?? Int.max
        }
        columns.sort { (urgency($0), $0.url) < (urgency($1), $1.url) }
        return columns
    }

    /// The findings of one count (stale or blank columns): each a veto when the count reaches its threshold,
    /// with a warning one step before it.
    private func escalate(_ found: [AuditReport.Finding], threshold: Int, what: String) -> [AuditReport.Finding] {
        guard !found.isEmpty else { return [] }
        var findings = found
        if found.count >= threshold {
            for index in findings.indices { findings[index].severity = .veto }
        } else if found.count == threshold - 1 {
            findings.append(
                .init(
                    check: found[0].check, severity: .warning, file: nil, line: nil,
                    message: "已有 \(found.count) 个\(what)，再有 1 个即单项否决（达到 \(threshold) 个）", hint: nil))
        }
        return findings
    }

    private func homePage(into findings: inout [AuditReport.Finding]) -> (String?, Int?) {
        let home = site.sections[0]
        guard let newest = home.allArticles.first else {
            findings.append(
                .init(
                    check: "stale_home", severity: .veto, file: home.file, line: nil,
                    message: "首页没有任何已发布的文章", hint: "发布文章"))
            return (nil, nil)
        }
        let since = Int(today - day(of: newest))
        if since > rules.homeDays {
            findings.append(
                .init(
                    check: "stale_home", severity: .veto, file: home.file, line: nil,
                    message: "首页不更新：最新一篇是 \(dateText(day(of: newest)))，\(since) 天前，超过 \(rules.homeDays) 天",
                    hint: "发布新文章"))
        } else if rules.homeDays - since <= rules.warningDays {
            findings.append(
                .init(
                    check: "stale_home", severity: .warning, file: home.file, line: nil,
                    message: "首页最新一篇是 \(since) 天前，再过 \(rules.homeDays - since + 1) 天不更新即单项否决",
                    hint: "近期发布新文章"))
        }
        return (dateText(day(of: newest)), since)
    }

    // MARK: Pages

    /// What the pages showed: links checked and broken, dates missing.
    private struct PageResult {
        var checked = 0
        var broken: [String] = []
        var undated = 0
        /// Links to other sites (http and https), once each.
        var external: [String] = []
        /// On the home page: whether it links to the 我为政府网站找错 page, and whether it has site search.
        var errorReportLink = false
        var search = false
    }

    private func pages(into findings: inout [AuditReport.Finding]) throws(BodyStore.Failure) -> (
        checked: Int, home: Int, elsewhere: Int, homeMarks: (errorReportLink: Bool, search: Bool)
    ) {
        let jobs = renderer.jobs(copies: [])
        // Every output file, and for each page its folder as a link names it (`a/b/` and `a/b`; "" for the home page).
        var files = Set(jobs.map(\.path))
        files.formUnion(copied)
        let pageSuffix = "index.html"
        for (path, _) in jobs where path.hasSuffix(pageSuffix) {
            let folder = String(path.dropLast(pageSuffix.count))
            files.insert(folder)
            if folder.hasSuffix("/") { files.insert(String(folder.dropLast())) }
        }
        let pages = jobs.filter { $0.job.isPage }
        let results = Parallel.map(pages) { path, job -> Result<PageResult, BodyStore.Failure> in
            Result { () throws(BodyStore.Failure) in try check(job, at: path, files: files) }
        }
        var checked = 0
        var home = 0
        var elsewhere = 0
        var undatedBySection: [Int: Int] = [:]
        var outside: [String: (home: Bool, pages: [String])] = [:]
        var homeMarks = (errorReportLink: false, search: false)
        for ((path, job), result) in zip(pages, results) {
            let page = try result.get()
            if path == Permalinks.homePath { homeMarks = (page.errorReportLink, page.search) }
            let url = Permalinks.url(ofPath: String(path.dropLast("index.html".count)))
            for link in page.external {
                outside[link, default: (false, [])].pages.append(url)
                if path == Permalinks.homePath { outside[link]?.home = true }
            }
            checked += page.checked
            if path == Permalinks.homePath { home += page.broken.count } else { elsewhere += page.broken.count }
            for target in page.broken {
                findings.append(
                    .init(
                        check: "broken_link", severity: .deduction, file: nil, line: nil,
                        message: "\(path == Permalinks.homePath ? "首页" : "页面 \(url) ")上的链接打不开：\(target)",
                        hint: "改正链接，或补上它指向的文件", page: url, target: target))
            }
            if page.undated > 0 {
                let section: Int
                switch job {
                case .list(let index, _): section = index
                case .article(let index): section = site.articles[index].section
                default: section = 0
                }
                undatedBySection[section, default: 0] += page.undated
            }
        }
        if let external, !outside.isEmpty {
            let links = outside.keys.sorted()
            checked += links.count
            for case let outcome? in external.check(links) where outcome.broken {
                guard let place = outside[outcome.url] else { continue }
                // A link on many pages counts once for each, as the inspection counts it.
                let onHome = place.home ? 1 : 0
                home += onHome
                elsewhere += place.pages.count - onHome
                let pages =
                    place.pages.prefix(3).joined(separator: "、")
                    + (place.pages.count > 3 ? " 等 \(place.pages.count) 个页面" : "")
                findings.append(
                    .init(
                        check: "broken_external_link", severity: .deduction, file: nil, line: nil,
                        message: "站外链接打不开（\(outcome.reason)）：\(outcome.url)，在 \(pages)",
                        hint: "改正或删去这个链接", page: place.pages.first, target: outcome.url))
            }
        }
        for (section, count) in undatedBySection.sorted(by: { $0.key < $1.key }) {
            let title = site.sections[section].title
            findings.append(
                .init(
                    check: "undated_items", severity: .veto, file: site.sections[section].file, line: nil,
                    message: "“\(title)”的页面上有 \(count) 处文章没有显示发布日期（没有日期的信息视为不更新）",
                    hint: "检查模板：列表的每一项都要显示 {{date}}，文章页要显示 {{article.date}}"))
        }
        return (checked, home, elsewhere, homeMarks)
    }

    /// One page: every link and image checked against the site's own files, and each article it lists (or is)
    /// shown with its date.
    private func check(_ job: OutputJob, at path: String, files: Set<String>) throws(BodyStore.Failure) -> PageResult {
        let html = try renderer.renderPage(job)
        var result = PageResult()
        let folder = "/" + String(path.dropLast("index.html".count))
        var seen = Set<String>()
        var outside = Set<String>()
        let scan = PageLinks.scan(html)
        for found in scan.targets {
            // The site's own address written in full (a canonical link, a share link) is a link of the site's own.
            var link = found
            if let base = ownAddress, link.hasPrefix(base) || link + "/" == base {
                link = "/" + link.dropFirst(base.count)
            }
            guard let target = PageLinks.outputPath(of: link, onPageIn: folder) else {
                if external != nil, link.hasPrefix("http://") || link.hasPrefix("https://"),
                    outside.insert(link).inserted
                {
                    result.external.append(link)
                }
                continue
            }
            result.checked += 1
            if !files.contains(target), seen.insert(link).inserted { result.broken.append(link) }
        }
        // Dates as a reader sees them: in the text, not only in an attribute (`datetime="…"`).
        switch job {
        case .home:
            result.errorReportLink = scan.targets.contains { $0.contains(Self.errorReportPage) }
            result.search = html.contains("role=\"search\"") || scan.targets.contains { $0.hasPrefix("/search") }
            let items = site.sections[0].allArticles.prefix(site.settings.homeItems)
            result.undated = items.count { !scan.shows(site.articles[$0].parsed.listDateText) }
        case .list(let index, let page):
            let section = site.sections[index]
            let items = section.listed.dropFirst((page - 1) * section.paginate).prefix(section.paginate)
            result.undated = items.count { !scan.shows(site.articles[$0].parsed.listDateText) }
        case .article(let index):
            result.undated = scan.shows(site.articles[index].parsed.dateText) ? 0 : 1
        default:
            break
        }
        return result
    }

    // MARK: Site marks

    /// The marks every page must carry that the settings or the home page lack: 网站标识码, ICP 备案, 主办单位 (from
    /// the settings), the 我为政府网站找错 link and site search (on the rendered home page).
    private func siteMarks(
        home homePage: (errorReportLink: Bool, search: Bool), into findings: inout [AuditReport.Finding]
    ) {
        let settings = site.settings
        let home = site.sections[0].file
        let marks: [(String?, String, String)] = [
            (settings.siteCode, "网站标识码", "site_code: 1234567890（10 位，由主管部门分配）"),
            (settings.icp, "ICP 备案号", "icp: 浙ICP备12345678号"),
            (settings.organizer, "主办单位", "organizer: 某某市人民政府办公室"),
        ]
        for (value, name, example) in marks where value?.isEmpty ?? true {
            findings.append(
                .init(
                    check: "missing_mark", severity: .warning, file: home, line: nil,
                    message: "站点设置里没有\(name)，页脚不会显示它", hint: "在 content/_index.md 里写上，例如 \(example)"))
        }
        if !homePage.errorReportLink {
            findings.append(
                .init(
                    check: "missing_mark", severity: .warning, file: home, line: nil,
                    message: "首页没有“我为政府网站找错”的链接",
                    hint: "在页脚模板里加上全国政府网站找错页面的链接（\(Self.errorReportPage)，带上网站标识码）"))
        }
        if !homePage.search {
            findings.append(
                .init(
                    check: "missing_mark", severity: .warning, file: home, line: nil,
                    message: "首页没有站内搜索", hint: "在页头模板里加上搜索框（<form role=\"search\" action=\"/search/\">）"))
        }
    }

    /// The national 我为政府网站找错 page, which every government site links to with its site code.
    static let errorReportPage = "zfwzgl.www.gov.cn/exposure/jiucuo.html"
}
