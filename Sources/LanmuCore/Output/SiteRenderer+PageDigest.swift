/// Page digests: what `lanmu build` keeps between runs (`.lanmu-cache/pages`) to know which output files it need not
/// render again. Unlike the preview's fingerprints (`fingerprint`, per-process revisions), a digest is made of content
/// only — articles' and sections' digests (`ParsedArticle.digest`, `Section.digest`), the strings a page shows of
/// other pages, and `base`, which stands for everything every page depends on (the executable, folders and options,
/// the settings' bytes, the templates' sources, the mourning day) — so that it is the same in every run.
///
/// Each case must cover every input of its `PageContexts`, `XMLDocuments` or `Redirects` method: an input left out
/// leaves a stale page when only that input changes (`BuildCacheTests.afterEveryKindOfChangeTheOutputEqualsACleanBuild`
/// has a step for each). What a page shows of its own article or section is covered by that digest; what it shows of
/// the structure (navigation, breadcrumbs, section details, URLs that depend on a column's pattern) by `structure`,
/// a digest of every section, so that a change to any `_index.md` renders every page again.
extension SiteRenderer {
    /// What every page's digest starts from: `base`, and every section's `_index.md` and place.
    func structureDigest(base: UInt64) -> UInt64 {
        var hasher = StableHasher(seed: base)
        hasher.combine(site.mourning)
        hasher.combine(site.sections.count)
        for section in site.sections {
            hasher.combine(section.digest)
            hasher.combine(section.segments.count)
            for segment in section.segments { hasher.combine(segment) }
        }
        return hasher.finalize()
    }

    /// The digest of a job's inputs, or nil for files that are always rendered (the search index).
    /// - Parameters:
    ///   - structure: `structureDigest(base:)`, worked out once per build.
    ///   - signatures: copied files' signatures, by source path.
    func pageDigest(
        _ job: OutputJob, structure: UInt64, signatures: [String: FileSignature], articleShowsTotal: Bool
    ) -> UInt64? {
        var hasher = StableHasher(seed: structure)
        switch job {
        case .home:
            hasher.combine("home")
            let items = site.settings.homeItems
            for section in site.sections {
                for index in section.listed.prefix(items) { hasher.combine(site.articles[index].digest) }
                hasher.combine(-1)
                for index in section.allArticles.prefix(items) { hasher.combine(site.articles[index].digest) }
                hasher.combine(-2)
            }
        case .list(let sectionIndex, let page):
            let section = site.sections[sectionIndex]
            hasher.combine("list")
            hasher.combine(sectionIndex)
            hasher.combine(page)
            hasher.combine(section.pageCount)
            hasher.combine(section.listed.count)
            hasher.combine(section.allArticles.count)
            for index in section.listed.dropFirst((page - 1) * section.paginate).prefix(section.paginate) {
                hasher.combine(site.articles[index].digest)
            }
        case .article(let index):
            let article = site.articles[index]
            hasher.combine("article")
            hasher.combine(article.digest)
            hasher.combine(article.section)
            hasher.combine(article.url)
            hasher.combine(article.linkURLs.count)
            for link in article.linkURLs {
                hasher.combine(link.placeholder)
                hasher.combine(link.url)
            }
            // 上一篇/下一篇: the neighbours' titles and URLs.
            let siblings = site.sections[article.section].articles
            let position = site.positions[index]
            for neighbour in [position - 1, position + 1] {
                if siblings.indices.contains(neighbour) {
                    hasher.combine(site.articles[siblings[neighbour]].title)
                    hasher.combine(site.articles[siblings[neighbour]].url)
                } else {
                    hasher.combine(nil as String?)
                }
            }
            hasher.combine(site.indexNumbers[index])
            for attachment in Attachments.list(for: article.parsed) {
                hasher.combine(attachment.contentPath)
                hasher.combine(Int(site.attachmentSizes[attachment.contentPath] ?? -1))
            }
            if articleShowsTotal { hasher.combine(site.sections[article.section].allArticles.count) }
        case .feed(let sectionIndex):
            hasher.combine("feed")
            hasher.combine(sectionIndex)
            for index in site.sections[sectionIndex].allArticles.prefix(site.settings.feedItems) {
                hasher.combine(site.articles[index].digest)
            }
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
            combine(redirects: &hasher)
        case .marker:
            hasher.combine("marker")
        case .redirect(let index):
            let redirect = site.redirects[index]
            hasher.combine("redirect")
            hasher.combine(redirect.from)
            combine(query: redirect.query, into: &hasher)
            hasher.combine(redirect.outputPath)
            hasher.combine(redirect.to)
            hasher.combine(redirect.title)
        case .nginxRedirects:
            hasher.combine("nginx redirects")
            combine(redirects: &hasher)
        case .searchPage, .searchManifest, .searchShard, .searchColumn, .searchDocument:
            // Made from every article's text: always rendered again.
            return nil
        case .copy(let source, _):
            // The file as it is: nothing but its own bytes, which its signature stands for.
            guard let signature = signatures[source] else { return nil }
            hasher = StableHasher()
            hasher.combine("copy")
            hasher.combine(source)
            hasher.combine(Int(signature.modified))
            hasher.combine(Int(signature.modifiedNanoseconds))
            hasher.combine(Int(signature.size))
            hasher.combine(signature.inode)
        case .themeAsset(let asset):
            // The binary's own file: the executable is in `base`.
            hasher.combine("theme asset")
            hasher.combine(asset)
        }
        return hasher.finalize()
    }

    private func combine(sitemapEntries entries: Range<Int>, into hasher: inout StableHasher) {
        hasher.combine(entries.lowerBound)
        hasher.combine(entries.upperBound)
        for entry in entries {
            if entry < site.sections.count {
                hasher.combine(XMLDocuments.sitemapEntry(site: site, entry))
            } else {
                hasher.combine(site.articles[entry - site.sections.count].sitemapEntry)
            }
        }
    }

    private func combine(redirects hasher: inout StableHasher) {
        hasher.combine(site.redirects.count)
        for redirect in site.redirects {
            hasher.combine(redirect.from)
            combine(query: redirect.query, into: &hasher)
            hasher.combine(redirect.outputPath)
            hasher.combine(redirect.to)
            hasher.combine(redirect.title)
        }
    }

    /// Every part of an old URL's query, in order (the nginx rules and `counter-ids.txt` show them).
    private func combine(query: AliasQuery?, into hasher: inout StableHasher) {
        guard let query else { return hasher.combine(false) }
        hasher.combine(query.arguments.count)
        for argument in query.arguments {
            hasher.combine(argument.name)
            hasher.combine(argument.value)
        }
    }
}
