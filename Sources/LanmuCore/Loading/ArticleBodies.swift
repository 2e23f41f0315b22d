import Foundation

/// Gives each article's body back when its page is written. Small builds keep bodies in the model; builds too large
/// for that (`BuildOptions.keepBodiesUpTo`) keep only metadata in memory and park each rendered body in a
/// `BodySpill` when its file is read, so bodies pass through memory a page at a time.
struct ArticleBodies: Sendable {
    let spill: BodySpill?

    /// A body that could not be read back.
    struct Failure: Error {
        let diagnostic: Diagnostic
    }

    /// The article's HTML, with its links' URLs put in.
    func html(for article: Article) throws(Failure) -> String {
        assert(article.parsed.body != .dropped, "a body let go for a run that writes no page was asked for")
        guard case .spilled(let spot) = article.parsed.body else { return article.html }
        guard let html = spill?.text(at: spot) else {
            throw Failure(
                diagnostic: Diagnostic(
                    .fileSystem, at: .init(file: article.file), "读不回这篇文章暂存的正文，生成已停止",
                    hint: "检查输出目录所在磁盘的空间和读写是否正常，然后重新运行 lanmu build；输出目录没有改动"))
        }
        return ArticleLinks.apply(article.linkURLs, to: html)
    }

    /// Lets the article's parked body go once its page is written (see `BodySpill.release`); it is not asked again.
    func release(_ article: Article) {
        if case .spilled(let spot) = article.parsed.body { spill?.release(spot) }
    }

    /// Where the article's body is parked, for writing pages in the order their bodies were parked (the spill's
    /// storage then goes back as the pages are written); nil for a body kept in memory.
    static func parkedAt(_ article: Article) -> Int? {
        guard case .spilled(let spot) = article.parsed.body else { return nil }
        return spot.offset
    }
}
