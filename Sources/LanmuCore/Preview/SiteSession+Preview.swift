import Foundation

/// What only the preview's session does: keep the listing up to date from a file watcher's change hints instead of
/// listing the content folder again, and put articles whose text alone changed into the last model instead of
/// building it anew (a one-article rebuild in milliseconds). `LiveSite` drives it; `lanmu build` never does.
extension SiteSession {
    /// After an edit that only changed articles' text — not their URL, date, draft or pinned state, not a link
    /// target of another article, no new problem in the model — puts the articles read anew into the last model
    /// instead of building it again: the preview's one-article rebuild. Nil when that is not safe; the caller then
    /// builds the model anew (the files read here stay cached). Tests hold the result equal to a full build.
    func patch(_ changedPaths: [String], listing: ContentLoader.Listing, parser: DocumentParser, now: Date)
        -> (loaded: LoadedSite, diagnostics: [Diagnostic])?
    {
        guard let last = lastGood, var patching = last.loaded.site.patching, listing.diagnostics.isEmpty else {
            return nil
        }
        var (loaded, diagnostics) = last
        // An article held back until its date is published by the clock alone.
        if let earliest = patching.earliestFuture, earliest <= PublishDate(now) { return nil }
        let content = options.contentDirectory
        let root = content.standardizedFileURL.path + "/"
        var changed: [(path: String, signature: FileSignature, old: CachedDocument)] = []
        for absolute in Set(changedPaths).sorted() {
            guard absolute.hasPrefix(root) else { return nil }  // a template, or something else outside content/
            let path = String(absolute.dropFirst(root.count))
            let names = path.split(separator: "/").map(String.init)
            if names.contains(where: ContentLoader.isIgnored) { continue }
            guard names.last?.hasSuffix(".md") == true, names.last != "_index.md",
                let signature = listing.signatures[path], let old = documents[path]
            else { return nil }
            if old.signature != signature { changed.append((path, signature, old)) }
        }
        let (templates, _) = loadTemplates()
        guard templates.revision == loaded.templatesRevision else { return nil }

        var site = loaded.site
        var links = patching.links
        var indices: [Int] = []
        for (path, signature, cached) in changed {
            guard case .article(let old?) = cached.parsed, let index = patching.articleIndex[path],
                !patching.linkedPaths.contains(path)
            else { return nil }
            let url = content.appendingPathComponent(path)
            let file = loader.display(url)
            guard case .success(let bytes) = loader.read(url) else { return nil }
            let revision = nextRevision()
            let (document, unchecked, found) = watchdog.watch(file) {
                parser.read(bytes, contentPath: path, file: file, revision: revision)
            }
            let parsed = document.map { loaded.bodies.take($0) }
            // Cached either way: a full build that follows does not read the file again.
            documents[path] = CachedDocument(
                signature: signature, parsed: unchecked.map { .unpublishable($0) } ?? .article(parsed),
                diagnostics: found)
            filesReadInLastLoad += 1
            guard let parsed, !found.containsErrors, parsed.slug == old.slug,
                parsed.frontMatter.date == old.frontMatter.date, parsed.frontMatter.draft == old.frontMatter.draft,
                parsed.frontMatter.pinned == old.frontMatter.pinned,
                // A pattern's URL may change with any field; an alias adds or removes a redirect.
                site.articles[index].placement == nil, parsed.frontMatter.aliases == old.frontMatter.aliases
            else { return nil }
            // Links: resolved against the same tables; a new problem (a missing target or heading) is reported by a
            // full build of the model.
            if links == nil, !parsed.rendered.references.isEmpty { return nil }
            guard patching.links?.resolve(old).diagnostics.isEmpty ?? true else { return nil }
            links?.replace(parsed)
            let resolved = links?.resolve(parsed) ?? .init()
            guard resolved.diagnostics.isEmpty else { return nil }
            patching.linkedPaths.formUnion(resolved.targetPaths)
            for diagnostic in cached.diagnostics {
                if let position = diagnostics.firstIndex(of: diagnostic) { diagnostics.remove(at: position) }
            }
            diagnostics += found
            site.articles[index] = Article(
                parsed, section: site.articles[index].section, linkTargets: resolved.targets,
                linkURLs: resolved.replacements)
            indices.append(index)
        }
        patching.links = links
        site.patching = patching
        loaded.site = site
        loaded.patchedArticles = indices
        return (loaded, diagnostics)
    }

    /// The last listing with the changed files stat'ed again, or a fresh listing when that is not safe.
    func updatedListing(content: URL, changedPaths: [String]?) -> ContentLoader.Listing {
        guard var listing = contentListing, let changedPaths, listing.diagnostics.isEmpty else {
            return loader.list(content)
        }
        let root = content.standardizedFileURL.path + "/"
        for absolute in Set(changedPaths) {
            guard absolute.hasPrefix(root) else { continue }
            let path = String(absolute.dropFirst(root.count))
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if path.split(separator: "/").contains(where: { ContentLoader.isIgnored(String($0)) }) { continue }
            var status = stat()
            if lstat(absolute, &status) != 0 {
                if listing.signatures[path] == nil { return loader.list(content) }  // a folder went away
                listing.signatures[path] = nil
                listing.markdown.removeAll { $0 == path }
                listing.assets.removeAll { $0 == path }
                continue
            }
            guard (status.st_mode & S_IFMT) == S_IFREG else { return loader.list(content) }
            if listing.signatures.updateValue(FileSignature(status), forKey: path) == nil {
                if name.hasSuffix(".md") {
                    listing.markdown.insert(
                        path, at: listing.markdown.firstIndex { $0 > path } ?? listing.markdown.count)
                } else {
                    listing.assets.insert(path, at: listing.assets.firstIndex { $0 > path } ?? listing.assets.count)
                }
            }
        }
        return listing
    }

}
