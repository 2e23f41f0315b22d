import Foundation
import Testing

@testable import LanmuCore

/// `lanmu init`'s new site: every setting written out and explained, and a site that builds cleanly.
@Suite struct SiteStarterTests {
    /// The lines of the new site's settings that set `key`, written or commented out (`# key:`).
    static func lines(setting key: String) -> [String] {
        SiteStarter.settings.split(separator: "\n").map(String.init).filter {
            $0.hasPrefix(key + ":") || $0.hasPrefix("# " + key + ":")
        }
    }

    /// Fails when a setting the settings parser knows is missing from the new site's `content/_index.md`: whoever
    /// adds a setting adds its line and comment there too.
    @Test(arguments: SiteSettings.keys)
    func everySettingIsInTheNewSite(key: String) {
        #expect(Self.lines(setting: key).count == 1, "add \(key) with a comment to SiteStarter.settings")
        // Above it, past the settings that share its comment, a comment line (not a blank line).
        let all = SiteStarter.settings.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = all.firstIndex(where: { $0.hasPrefix(key + ":") || $0.hasPrefix("# " + key + ":") }) else {
            return
        }
        func isSetting(_ line: String) -> Bool {
            let text = line.hasPrefix("# ") ? line.dropFirst(2) : line[...]
            let name = text.prefix { $0 != ":" }
            return text.hasPrefix("  - ") || text.hasPrefix("  - ")
                || (text.contains(":") && name.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "_") })
        }
        let comment = all[..<index].last { !isSetting($0) }
        #expect(
            comment?.hasPrefix("# ") == true, "\(key) has a comment above it (or shares one with the settings above)")
    }

    /// The settings as written are read without a warning and equal the defaults, and so are the ones written
    /// commented out once switched on (their examples are valid values).
    @Test func theSettingsAreValidAsWrittenAndWhenSwitchedOn() throws {
        let (settings, diagnostics) = DocumentParser.settings(
            from: Array(SiteStarter.settings.utf8), file: "content/_index.md")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let defaults = SiteSettings()
        #expect(settings.paginate == defaults.paginate)
        #expect(settings.summaryLength == defaults.summaryLength)
        #expect(settings.homeItems == defaults.homeItems)
        #expect(settings.feedItems == defaults.feedItems)
        #expect(settings.rawHTML == defaults.rawHTML && settings.cjkEmphasis == defaults.cjkEmphasis)
        #expect(settings.counterPlaceholder == defaults.counterPlaceholder)
        #expect(settings.timeZone == defaults.timeZone && settings.language == defaults.language)
        #expect(settings.audit == defaults.audit)

        let switchedOn = SiteStarter.settings.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let keyed =
                line.hasPrefix("# ") && line.dropFirst(2).first.map { $0.isASCII && $0.isLetter } == true
                && line.contains(":") && !line.contains("：")
            let item = line.hasPrefix("#   - ")
            return keyed || item ? String(line.dropFirst(2)) : String(line)
        }.joined(separator: "\n")
        let (all, problems) = DocumentParser.settings(from: Array(switchedOn.utf8), file: "content/_index.md")
        #expect(problems.isEmpty, "\(problems)")
        #expect(all.siteCode != nil && all.icp != nil && all.policeRecord != nil && all.counterURL != nil)
        #expect(all.government.mourningDays.count == 1 && all.government.conacID != nil)
    }

    /// A new site builds without an error or a warning, with the theme carried by the binary.
    @Test func aNewSiteBuildsCleanly() throws {
        let site = try TestSite(SiteStarter.files(now: testNow), copyTemplates: false)
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(report.articleCount == 1)
        let article = try site.read("public/xinwen/dongtai/wangzhan-kaitong/index.html")
        #expect(article.contains("网站开通"))
        #expect(article.contains("2026-01-01 00:00"))
        #expect(site.exists("public/assets/css/lanmu.css"))
    }
}
