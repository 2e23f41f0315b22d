/// Fingerprints of everything a page is made from, so that a rebuild renders again only pages whose inputs
/// changed. Each must cover every input of the matching `PageContexts` method; templates and site settings
/// are not covered here: when they change, every page is rendered again.
extension SiteRenderer {
    /// The fingerprint of a job's inputs, or nil for files that are always rendered (home, feeds, site map).
    func fingerprint(_ job: OutputJob, signatures: [String: FileSignature] = [:]) -> Int? {
        var hasher = Hasher()
        switch job {
        case .home, .feed, .sitemap:
            return nil
        case .marker:
            hasher.combine("marker")
        case .copy(let source, _):
            guard let signature = signatures[source] else { return nil }
            hasher.combine(signature)
        case .article(let index):
            let article = site.articles[index]
            hasher.combine("article")
            combine(article: index, into: &hasher)
            let siblings = site.sections[article.section].articles
            if let position = siblings.firstIndex(of: index) {
                hasher.combine(position > 0 ? siblings[position - 1] : -1)
                if position > 0 { combine(article: siblings[position - 1], into: &hasher) }
                hasher.combine(position + 1 < siblings.count ? siblings[position + 1] : -1)
                if position + 1 < siblings.count { combine(article: siblings[position + 1], into: &hasher) }
            }
            combine(sectionChainOf: article.section, into: &hasher)
        case .list(let sectionIndex, let page):
            let section = site.sections[sectionIndex]
            hasher.combine("list")
            hasher.combine(page)
            hasher.combine(section.pageCount)
            hasher.combine(section.listed.count)
            for child in section.children { combine(section: child, into: &hasher) }
            let start = (page - 1) * section.paginate
            for index in section.listed.dropFirst(start).prefix(section.paginate) {
                combine(article: index, into: &hasher)
            }
            combine(sectionChainOf: sectionIndex, into: &hasher)
        }
        return hasher.finalize()
    }

    private func combine(article index: Int, into hasher: inout Hasher) {
        let article = site.articles[index]
        hasher.combine(article.revision)
        hasher.combine(article.url)
        hasher.combine(article.id)
    }

    private func combine(section index: Int, into hasher: inout Hasher) {
        let section = site.sections[index]
        hasher.combine(section.revision)
        hasher.combine(section.url)
    }

    /// The breadcrumb (the chain of sections) and the navigation (the top-level sections).
    private func combine(sectionChainOf index: Int, into hasher: inout Hasher) {
        for ancestor in site.ancestry(of: index) { combine(section: ancestor, into: &hasher) }
        for topic in site.sections[0].children { combine(section: topic, into: &hasher) }
    }
}
