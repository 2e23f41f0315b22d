/// The addresses of the national registries a government page links to from its footer. Links only: no generated
/// page loads anything from them.
enum GovernmentLinks {
    /// ICP 备案 (MIIT's record query).
    static let icp = "https://beian.miit.gov.cn/"

    /// 公安备案: the national record-query page for the record's number.
    static func policeRecord(_ record: String) -> String? {
        GovernmentSettings.policeRecordCode(record).map { "https://beian.mps.gov.cn/#/query/webSearch?code=" + $0 }
    }

    /// 党政机关标识: the registry's page for the site.
    static func conac(_ id: String) -> String { "https://bszs.conac.cn/sitename?method=show&id=" + id }

    /// 我为政府网站找错: the national error-report page, told the site's code and the page's address.
    static func errorReport(siteCode: String, pageURL: String) -> String {
        "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=" + URLPath.encode(siteCode) + "&url="
            + URLPath.encode(pageURL)
    }
}
