/// An article the build did not generate, and why: editors looking for it are told where it went.
public struct HeldBackArticle: Sendable, Equatable {
    /// Why an article was held back.
    public enum Reason: Sendable, Equatable {
        /// `draft: true` (published with `--drafts`).
        case draft
        /// Dated after now (published with `--future`), with its date as article pages show it to the minute.
        case future(date: String)
    }

    /// The article's file as shown in diagnostics (`content/sanfuwu/shixian/a.md`).
    public var file: String
    public var reason: Reason

    /// Creates a held-back article.
    public init(file: String, reason: Reason) {
        self.file = file
        self.reason = reason
    }

    /// The reason in Chinese: `草稿`, `定时发布（2026-12-08 09:00）`.
    public var reasonText: String {
        switch reason {
        case .draft: "草稿"
        case .future(let date): "定时发布（\(date)）"
        }
    }
}

extension [HeldBackArticle] {
    /// `另有 2 篇草稿、1 篇定时发布（2026-12-08 09:00）未生成` (with several future articles, the earliest date), or nil
    /// when nothing was held back.
    var summary: String? {
        let drafts = count { $0.reason == .draft }
        // Dates written `yyyy-MM-dd HH:mm` order as text.
        let dates = compactMap { article -> String? in
            if case .future(let date) = article.reason { return date }
            return nil
        }
        var parts: [String] = []
        if drafts > 0 { parts.append("\(drafts) 篇草稿") }
        if let earliest = dates.min() {
            parts.append("\(dates.count) 篇定时发布（\(dates.count > 1 ? "最早 " : "")\(earliest)）")
        }
        return parts.isEmpty ? nil : "另有 " + parts.joined(separator: "、") + "未生成"
    }
}
