/// Fingerprints of everything a page is made from, so that a rebuild renders again only pages whose inputs
/// changed. Each must cover every input of the matching `PageContexts` or `XMLDocuments` method; templates and
/// site settings are not covered here: when they change, every page is rendered again.
extension SiteRenderer {
    /// The fingerprint of a job's inputs, or nil for files that are always rendered.
    func fingerprint(_ job: OutputJob, signatures: [String: FileSignature] = [:]) -> Int? {
        var hasher = Hasher()
        switch job {
        case .home:
            // Every section's title and place (navigation, topics, columns) and the newest articles of each.
            hasher.combine("home")
            for section in site.sections {
                hasher.combine(section.revision)
                hasher.combine(section.segments)
                for index in section.listed.prefix(site.settings.homeItems) { combine(article: index, into: &hasher) }
                for index in section.allArticles.prefix(site.settings.homeItems) {
                    combine(article: index, into: &hasher)
                }
            }
        case .feed(let sectionIndex):
            let section = site.sections[sectionIndex]
            hasher.combine("feed")
            hasher.combine(section.revision)
            hasher.combine(section.segments)
            for index in section.allArticles.prefix(site.settings.feedItems) { combine(article: index, into: &hasher) }
        case .sitemap:
            hasher.combine("sitemap")
            if sitemap.isCut {
                hasher.combine(sitemap.parts.count)
            } else {
                combine(sitemapEntries: sitemap.parts[0], into: &hasher)
            }
        case .sitemapPart(let part):
            hasher.combine("sitemap part")
            hasher.combine(part)
            combine(sitemapEntries: sitemap.parts[part], into: &hasher)
        case .counterIDs:
            hasher.combine("counter ids")
            for article in site.articles {
                hasher.combine(article.id)
                hasher.combine(article.url)
            }
            for redirect in site.redirects {
                hasher.combine(redirect.oldURL)
                hasher.combine(redirect.to)
            }
        case .marker:
            hasher.combine("marker")
        case .redirect(let index):
            hasher.combine("redirect")
            hasher.combine(site.redirects[index].to)
            hasher.combine(site.redirects[index].title)
        case .nginxRedirects:
            hasher.combine("nginx redirects")
            for redirect in site.redirects {
                hasher.combine(redirect.oldURL)
                hasher.combine(redirect.to)
            }
        case .searchPage, .searchManifest, .searchShard, .searchColumn, .searchDocument:
            // Made from every article's text (the page from the navigation too): always rendered again.
            return nil
        case .copy(let source, _):
            guard let signature = signatures[source] else { return nil }
            hasher.combine(signature)
        case .themeAsset(let asset):
            // The binary's own file: it cannot change while the process runs.
            hasher.combine("theme asset")
            hasher.combine(asset)
        case .article(let index):
            let article = site.articles[index]
            hasher.combine("article")
            combine(article: index, into: &hasher)
            hasher.combine(article.linkTargets)
            let siblings = site.sections[article.section].articles
            let position = site.positions[index]
            hasher.combine(position > 0 ? site.articles[siblings[position - 1]].revision : -1)
            hasher.combine(position + 1 < siblings.count ? site.articles[siblings[position + 1]].revision : -1)
            hasher.combine(chainFingerprints[article.section])
        case .list(let sectionIndex, let page):
            let section = site.sections[sectionIndex]
            hasher.combine("list")
            hasher.combine(page)
            hasher.combine(section.pageCount)
            let start = (page - 1) * section.paginate
            for index in section.listed.dropFirst(start).prefix(section.paginate) {
                combine(article: index, into: &hasher)
            }
            hasher.combine(chainFingerprints[sectionIndex])
        }
        return hasher.finalize()
    }

    /// Each article's entry was hashed once when it was read; a section's entry is its URL and newest date.
    private func combine(sitemapEntries entries: Range<Int>, into hasher: inout Hasher) {
        hasher.combine(entries)
        for entry in entries {
            if entry < site.sections.count {
                let section = site.sections[entry]
                hasher.combine(section.segments)
                hasher.combine(section.allArticles.first.map { site.articles[$0].parsed.isoDate })
            } else {
                hasher.combine(site.articles[entry - site.sections.count].sitemapHash)
            }
        }
    }

    /// An article's revision stands for everything read from its file, its URL included (a renamed file is
    /// read anew).
    private func combine(article index: Int, into hasher: inout Hasher) {
        hasher.combine(site.articles[index].revision)
    }

    /// For each section, a fingerprint of what every page in it shows of it — its own `section` data (title,
    /// count, children), its breadcrumb (the chain of sections) and the navigation (the top-level sections):
    /// computed once per render, shared by every page of the section.
    static func chainFingerprints(of site: Site) -> [Int] {
        site.sections.indices.map { index in
            var hasher = Hasher()
            hasher.combine(site.sections[index].allArticles.count)
            for child in site.sections[index].children {
                hasher.combine(site.sections[child].revision)
                hasher.combine(site.sections[child].segments)
            }
            for ancestor in site.ancestry(of: index) {
                hasher.combine(site.sections[ancestor].revision)
                hasher.combine(site.sections[ancestor].segments)
            }
            for topic in site.sections[0].children {
                hasher.combine(site.sections[topic].revision)
                hasher.combine(site.sections[topic].segments)
            }
            return hasher.finalize()
        }
    }
}
