import Foundation

/// Reads an article's body again when its page is written, for builds too large to keep every body in memory
/// (`BuildOptions.keepBodiesUpTo`): the model keeps only metadata, and bodies pass through memory a page at a time.
struct ArticleBodies: Sendable {
    let contentDirectory: URL
    let loader: ContentLoader
    let parser: DocumentParser

    /// A body that could not be read again as it was.
    struct Failure: Error {
        let diagnostic: Diagnostic
    }

    /// The same hash for the same bytes, within one process.
    static func hash(_ bytes: [UInt8]) -> Int {
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }

    /// The article's HTML, with its links' URLs put in: the body it had when the model was built.
    func html(for article: Article) throws(Failure) -> String {
        guard case .dropped(let sourceHash) = article.parsed.body else { return article.html }
        let url = contentDirectory.appendingPathComponent(article.contentPath)
        let bytes: [UInt8]
        switch loader.read(url) {
        case .success(let read): bytes = read
        case .failure(let diagnostic): throw Failure(diagnostic: diagnostic)
        }
        guard Self.hash(bytes) == sourceHash,
            let html = parser.bodyHTML(from: bytes, contentPath: article.contentPath, file: article.file)
        else {
            throw Failure(
                diagnostic: Diagnostic(
                    .fileSystem, at: .init(file: article.file), "文章在生成过程中被修改了，生成已停止",
                    hint: "等文件保存完毕后重新运行 lanmu build；输出目录没有改动"))
        }
        return ArticleLinks.apply(article.linkURLs, to: html)
    }
}
