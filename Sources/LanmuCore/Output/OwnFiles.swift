/// Files Lanmu writes itself besides the pages of sections and articles — feeds, list pages beyond the first, the
/// site map and its parts, the theme's assets — and the files of `content/` that would be copied onto one of them.
/// (Pages and article folders are checked with the model, in `SiteBuilder`.) Caught before anything is written: a
/// copy over a generated file would stop the build halfway, or, with names differing only in case, write both and
/// leave a case-insensitive host or CDN to pick one.
enum OwnFiles {
    /// A generated file: its path below the output, its URL and what it is, for the diagnostic.
    struct File {
        let path: String
        let url: String
        let what: String
    }

    /// The generated files a copy could land on (`SiteRenderer.ownFiles`), with the theme's assets: not the pages
    /// of sections, which the model checks with the articles, nor the marker, a dot file no listing copies.
    static func files(of site: Site, sitemap: SitemapPlan, themeAssets: [(path: String, file: String)]) -> [File] {
        var files: [File] = SiteRenderer.ownFiles(of: site, sitemap: sitemap).compactMap { path, job in
            switch job {
            case .feed(let index):
                let section = site.sections[index]
                return File(path: path, url: section.feedURL, what: "\(section.title)的 RSS 订阅")
            case .list(let index, let page) where page > 1:
                let section = site.sections[index]
                return File(path: path, url: section.listURL(page: page), what: "\(section.title)的列表第 \(page) 页")
            case .sitemap, .sitemapPart: return File(path: path, url: Permalinks.url(ofPath: path), what: "网站地图")
            case .searchPage, .searchManifest:
                return File(path: path, url: Permalinks.url(ofPath: path), what: "站内搜索")
            case .counterIDs:
                return File(path: path, url: Permalinks.url(ofPath: path), what: "浏览次数计数的文章清单")
            case .home, .list, .article, .marker, .copy, .themeAsset, .searchShard, .searchColumn, .searchDocument:
                return nil
            }
        }
        for asset in themeAssets {
            files.append(
                File(
                    path: Permalinks.assetPath(asset.path),
                    url: Permalinks.url(ofPath: Permalinks.assetPath(asset.path)), what: "模板静态文件 \(asset.file)"))
        }
        return files
    }

    /// An error at each section or file of `content/` that would take the place of site search's folder
    /// (`search/`, the results page and the index).
    static func searchClashes(site: Site, contentAssets: [(contentPath: String, file: String)]) -> [Diagnostic] {
        guard site.settings.search else { return [] }
        let folder = SearchIndex.folder
        func clashes(_ segment: String?) -> Bool { segment?.precomposedForComparison == folder }
        var found: [Diagnostic] = []
        for section in site.sections where section.segments.count == 1 && clashes(section.segments.first) {
            found.append(
                Diagnostic(
                    .duplicateURL, at: .init(file: section.file),
                    "栏目文件夹 \(section.segments[0]) 和站内搜索是同一个网址 \(SearchIndex.pageURL)",
                    hint: "给这个栏目的文件夹改名；或者在 content/_index.md 里写 search: false 关闭站内搜索"))
        }
        for asset in contentAssets where clashes(TextScan.pathSegments(asset.contentPath).first) {
            found.append(
                Diagnostic(
                    .duplicateURL, at: .init(file: asset.file),
                    "文件 \(asset.contentPath) 在站内搜索的文件夹 \(SearchIndex.pageURL) 里",
                    hint: "把这个文件移到别的文件夹；或者在 content/_index.md 里写 search: false 关闭站内搜索"))
        }
        return found
    }

    /// An error at each file of `content/` whose copy would land on a generated file.
    static func clashes(
        site: Site, sitemap: SitemapPlan, contentAssets: [(contentPath: String, file: String)],
        themeAssets: [(path: String, file: String)]
    ) -> [Diagnostic] {
        guard !contentAssets.isEmpty else { return [] }
        let assetsByKey = Dictionary(contentAssets.map { ($0.contentPath.precomposedForComparison, $0) }) { first, _ in
            first
        }
        return files(of: site, sitemap: sitemap, themeAssets: themeAssets).compactMap { own in
            guard let asset = assetsByKey[own.path.precomposedForComparison] else { return nil }
            let space = own.what.unicodeScalars.last.map { $0.isASCII } == true ? " " : ""
            return Diagnostic(
                .duplicateURL, at: .init(file: asset.file),
                "文件 \(asset.contentPath) 和 lanmu 生成的\(own.what)\(space)是同一个路径 \(own.url)",
                hint: "给这个文件改名或删除它：这个路径上的文件由 lanmu 生成（大小写不同、繁简写法相同也算重复）")
        }
    }
}
