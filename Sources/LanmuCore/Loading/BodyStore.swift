import Foundation

/// Where rendered article bodies wait between reading and writing. The driver of a run hands the reading stage a
/// plan; parsing stays pure (bytes in, parsed article out) and the read loop gives each body to the store, which
/// keeps it in the model, parks it on disk (`BodySpill`: builds too large to keep every body in memory keep only
/// metadata, so bodies pass through memory a page at a time), or lets it go (`lanmu check` writes no page). A build
/// that keeps records (`RecordCache`) leaves each body it has a record of in the records file, and reads it from
/// there for its page: an article whose page is not rendered costs no body at all.
///
/// Links to other articles are resolved once, in the model (`ArticleLinks`): their URLs are put into the body when
/// the store gives it back for its page, kept or parked alike.
struct BodyStore: Sendable {
    /// What the driver asks for.
    enum Plan: Sendable {
        /// Every body in memory (the preview, which renders pages again on every edit).
        case keep
        /// No body: the run writes no page.
        case drop
        /// Above this many Markdown files, bodies are parked in a nameless file in the first of these folders that
        /// takes one (kept in memory if none does).
        case park(above: Int, inFirstOf: [String])
    }

    let spill: BodySpill?
    private let drops: Bool
    /// The build's records, where recorded bodies are read.
    let records: RecordCache?
    /// Renders an article's body again from its file, for a recorded body that fails its check: its HTML, or nil
    /// when the file is no longer what was listed.
    private let renderAgain: (@Sendable (ParsedArticle) -> String?)?

    /// The store for a run that reads this many Markdown files.
    init(
        _ plan: Plan, files: Int, records: RecordCache? = nil,
        renderAgain: (@Sendable (ParsedArticle) -> String?)? = nil
    ) {
        switch plan {
        case .keep: (spill, drops) = (nil, false)
        case .drop: (spill, drops) = (nil, true)
        case .park(let limit, let folders):
            (spill, drops) = (files > limit ? BodySpill(inFirstOf: folders) : nil, false)
        }
        self.records = drops ? nil : records
        self.renderAgain = renderAgain
    }

    /// A body that could not be read back.
    struct Failure: Error {
        let diagnostic: Diagnostic
    }

    /// Takes a parsed article's rendered body: the article as the model holds it. With `recorded`, where the body is
    /// in the records file, it is left there.
    func take(_ document: ArticleDocument, recorded: RecordCache.Body? = nil) -> ParsedArticle {
        let body: ParsedArticle.Body
        if drops {
            body = .dropped
        } else if let recorded {
            precondition(records != nil, "a recorded body given to a store without the records")
            body = .recorded(recorded)
        } else if let spill {
            body = spill.append(document.rendered.html).map(ParsedArticle.Body.spilled) ?? .kept
        } else {
            body = .kept
        }
        return ParsedArticle(document, body: body)
    }

    /// The article's HTML, with its links' URLs put in.
    func html(for article: Article) throws(Failure) -> String {
        assert(article.parsed.body != .dropped, "a body let go for a run that writes no page was asked for")
        let html: String
        switch article.parsed.body {
        case .kept, .dropped: html = article.parsed.rendered.html
        case .spilled(let spot):
            guard let text = spill?.text(at: spot) else {
                throw Failure(
                    diagnostic: Diagnostic(
                        .fileSystem, at: .init(file: article.file), "读不回这篇文章暂存的正文，生成已停止",
                        hint: "检查输出目录所在磁盘的空间和读写是否正常，然后重新运行 lanmu build；输出目录没有改动"))
            }
            html = text
        case .recorded(let body):
            // A body that fails its check (reported as W009 by the records) is made again from its file.
            guard let text = records?.body(body) ?? renderAgain?(article.parsed) else {
                throw Failure(
                    diagnostic: Diagnostic(
                        .fileSystem, at: .init(file: article.file), "这篇文章在生成过程中被改动了，生成已停止",
                        hint: "重新运行 lanmu build；输出目录没有改动"))
            }
            html = text
        }
        return ArticleLinks.apply(article.linkURLs, to: html)
    }

    /// Lets the article's parked body go once its page is written (see `BodySpill.release`); it is not asked again.
    func release(_ article: Article) {
        if case .spilled(let spot) = article.parsed.body { spill?.release(spot) }
    }

    /// Where the article's body is parked, for writing pages in the order their bodies were parked (the spill's
    /// storage then goes back as the pages are written; the records file is read front to back); nil for a body
    /// kept in memory.
    static func parkedAt(_ article: Article) -> Int? {
        switch article.parsed.body {
        case .spilled(let spot): spot.offset
        case .recorded(let body): body.offset
        case .kept, .dropped: nil
        }
    }
}
