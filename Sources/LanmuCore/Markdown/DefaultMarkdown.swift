/// Markdown as a site with the default settings renders it, for tools outside the build: the importer reads its own
/// Markdown back with it to check that emphasis lands where the old page had it.
public enum DefaultMarkdown {
    /// The HTML of a Markdown body (raw HTML dropped, CJK-friendly emphasis), links to other articles unresolved.
    public static func html(_ markdown: String) -> String {
        MarkdownRenderer().render(markdown).html
    }
}
