import Foundation

/// Writes a new article file for `lanmu new`, dated now in the site's time zone.
struct ArticleScaffold {
    /// The text of a new article: a draft (Hugo's `new` makes drafts too) with the site's `default_source` as its
    /// source; title and source are quoted so that any text stays text.
    static func text(title: String, date: PublishDate, settings: SiteSettings) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let stamp = DateFormat("yyyy-MM-dd HH:mm")!.string(from: date, in: settings.timeZone)
        let source = settings.defaultSource.map { " " + quoted($0) } ?? ""
        return """
            ---
            title: \(quoted(title))
            date: \(stamp)
            source:\(source)
            draft: true
            ---

            在这里写正文。段落之间空一行；小标题用 ## 开头。

            """
    }

    /// A file name not yet taken in the folder: `2020-04-30-0917.md`, then `-2`, `-3`….
    static func fileName(date: PublishDate, settings: SiteSettings, taken: (String) -> Bool) -> String {
        let stem = DateFormat("yyyy-MM-dd-HHmm")!.string(from: date, in: settings.timeZone)
        var name = stem + ".md"
        var counter = 2
        while taken(name) {
            name = "\(stem)-\(counter).md"
            counter += 1
        }
        return name
    }
}

extension Generator {
    /// Creates a new article in a section (`sanfuwu/shixian`) and returns its path as shown to the user.
    public func newArticle(section: String, title: String, now: Date) -> Result<String, Diagnostic> {
        let content = options.contentDirectory
        let segments = section.split(separator: "/").map(String.init).filter { !$0.isEmpty && $0 != "." }
        let directory = segments.reduce(content) { $0.appendingPathComponent($1) }
        let index = directory.appendingPathComponent("_index.md")
        guard !segments.contains(".."), FileManager.default.fileExists(atPath: index.path) else {
            return .failure(
                Diagnostic(
                    .sectionWithoutIndex, at: .init(file: display(index)), "栏目“\(section)”不存在（没有 \(display(index))）",
                    hint: "写 content/ 下的栏目路径，例如 lanmu new sanfuwu/shixian \"标题\""))
        }
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains("\n") else {
            return .failure(
                Diagnostic(
                    .missingField, at: .init(file: display(directory)), "标题不能为空，也不能分行",
                    hint: "例如 lanmu new sanfuwu/shixian \"交流面对面，服务心连心\""))
        }
        var settings = SiteSettings()
        let loader = ContentLoader(display: display)
        let homeURL = content.appendingPathComponent("_index.md")
        if FileManager.default.fileExists(atPath: homeURL.path) {
            switch loader.read(homeURL) {
            case .success(let bytes):
                let (read, diagnostics) = DocumentParser.settings(from: bytes, file: display(homeURL))
                if let error = diagnostics.first(where: { $0.severity == .error }) { return .failure(error) }
                settings = read
            case .failure(let diagnostic): return .failure(diagnostic)
            }
        }
        let date = PublishDate(now)
        let name = ArticleScaffold.fileName(date: date, settings: settings) {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
        let url = directory.appendingPathComponent(name)
        do {
            try Data(ArticleScaffold.text(title: trimmed, date: date, settings: settings).utf8).write(
                to: url, options: .withoutOverwriting)
        } catch {
            let problem = FileSystemProblem(error, .writing, shown: url.path)
            return .failure(
                Diagnostic(.fileSystem, at: .init(file: display(url)), "无法写入新文章：\(problem.message)", hint: problem.hint)
            )
        }
        return .success(display(url))
    }
}
