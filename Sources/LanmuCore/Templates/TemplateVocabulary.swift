/// Every name the templates can look up; a name outside this list is a typo and is reported.
/// `PageContexts` builds exactly these keys (a test holds the two together).
enum TemplateVocabulary {
    static let names: Set<String> = [
        // site
        "site", "name", "title", "description", "language", "counter_placeholder", "url", "feed_url", "assets_url",
        "base_url", "counter_url", "organizer", "address", "phone", "site_code", "icp", "police_record",
        // every page
        "nav", "current", "breadcrumb", "first", "last", "page", "kind", "canonical", "is_home", "is_list",
        "is_article",
        // home
        "topics", "columns", "articles", "latest",
        // lists
        "section", "total", "has_children", "children", "pager", "pages", "multiple", "first_url", "last_url",
        "has_prev", "has_next",
        "numbers", "number", "prev_url", "next_url",
        // articles
        "article", "id", "summary", "content", "pinned", "date", "list_date", "date_iso", "source", "tags", "author",
        "editor", "prev", "next", "word_count", "reading_minutes",
    ]
}
