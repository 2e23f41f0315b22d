import Foundation
import Mustache

/// The site's templates, parsed and checked: syntax, partials and parents that exist, and data names that
/// Lanmu provides. Rendering goes through swift-mustache.
struct TemplateLibrary: Sendable {
    /// The templates every site needs.
    static let requiredNames = ["home", "list", "article"]

    let library: MustacheLibrary
    let names: Set<String>
    /// Pages rendered once per shape of their data (see `PageSkeletons`); nil when the templates look into strings.
    let skeletons: PageSkeletons?
    /// A digest of every template's source, the same in every run (part of `lanmu build`'s page digests).
    var digest: UInt64 = 0
    /// Whether the article page (its template, and the partials and parents it takes in) may show `total`, which
    /// is a count of the column's articles (`section.total`): then every article page of a column depends on it.
    var articleShowsTotal = true

    /// Parses and checks template sources, keyed by name (`partials/header`); `display` maps a name to the file
    /// shown in diagnostics.
    /// - Parameter chunkBytes: how long the runs are that a long template is parsed in (`TemplateChunks`).
    static func make(
        sources: [String: String], display: (String) -> String, chunkBytes: Int = TemplateChunks.defaultBytes
    ) -> (TemplateLibrary?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var library = MustacheLibrary()
        // The data names the templates look up; nil once one renders the current value itself (`{{.}}`).
        var used: Set<String>? = []
        MarkupEscaping.registered
        var inclusions: [String: [Inclusion]] = [:]
        var ownDepths: [String: Int] = [:]
        // Each template's own data names (nil: `{{.}}`, anything), for `articleShowsTotal`.
        var ownNames: [String: Set<String>?] = [:]
        var digest = StableHasher()
        for name in sources.keys.sorted() {
            let text = sources[name]!
            digest.combine(name)
            digest.combine(text)
            let tags = TemplateScanner.tags(in: text)
            // Checked before parsing: swift-mustache parses nested sections by recursion.
            if let tooDeep = TemplateScanner.tooDeep(tags) {
                diagnostics.append(
                    Diagnostic(
                        .templateTooDeep, at: .init(file: display(name), line: tooDeep.line, column: tooDeep.column),
                        "{{#…}}、{{^…}}、{{<…}}、{{$…}} 套了超过 \(TemplateScanner.nestingLimit) 层",
                        hint: "检查前面是否漏写了结束的 {{/…}}；模板最多套 \(TemplateScanner.nestingLimit) 层"))
                continue
            }
            do {
                library.register(try parse(text, name: name, chunkBytes: chunkBytes, into: &library), named: name)
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(
                    Diagnostic(
                        .templateSyntax,
                        at: .init(
                            file: display(name), line: error.context.lineNumber - 1,
                            column: error.context.columnNumber),
                        describe(error.error), hint: "对照 README 里的“模板”一节检查这一处的 {{ }} 标签"))
                continue
            } catch {
                preconditionFailure("MustacheTemplate(string:) threw \(error), which is not a ParserError")
            }
            var depth = 0
            for tag in tags {
                let location = Diagnostic.Location(file: display(name), line: tag.line, column: tag.column)
                let depthAtTag = depth
                switch tag.kind {
                case .section, .invertedSection, .parent, .block:
                    depth += 1
                    ownDepths[name] = max(ownDepths[name] ?? 0, depth)
                case .closing:
                    depth = max(0, depth - 1)
                case .variable, .partial, .comment:
                    break
                }
                switch tag.kind {
                case .partial, .parent:
                    if sources[tag.name] != nil {
                        inclusions[name, default: []].append(
                            Inclusion(target: tag.name, location: location, depth: depthAtTag))
                    } else {
                        let suggestion = EditDistance.closest(to: tag.name, among: sources.keys)
                        diagnostics.append(
                            Diagnostic(
                                .missingTemplate, at: location,
                                "\(tag.kind == .partial ? "局部模板" : "父模板")“\(tag.name)”不存在",
                                hint: suggestion.map { "是否想写 \($0)？" }
                                    ?? "在 templates/ 里建 \(tag.name).mustache，或改成已有的模板名"))
                    }
                case .variable, .section, .invertedSection:
                    let dataNames = TemplateScanner.dataNames(of: tag)
                    if dataNames.isEmpty { used = nil } else { used?.formUnion(dataNames) }
                    if dataNames.isEmpty {
                        ownNames[name] = .some(nil)
                    } else if case .some(.some(var names)) = ownNames[name] {
                        names.formUnion(dataNames)
                        ownNames[name] = .some(names)
                    } else if ownNames[name] == nil {
                        ownNames[name] = .some(Set(dataNames))
                    }
                    for dataName in dataNames
                    where !TemplateKey.names.contains(dataName) {
                        let suggestion = EditDistance.closest(to: dataName, among: TemplateKey.names)
                        diagnostics.append(
                            Diagnostic(
                                .unknownTemplateVariable, at: location, "模板变量“\(dataName)”不存在，它会显示为空",
                                hint: suggestion.map { "是否想写 \($0)？README 的“模板变量”一节列出了所有变量" }
                                    ?? "README 的“模板变量”一节列出了所有变量"))
                    }
                case .block, .closing, .comment:
                    break
                }
            }
        }
        diagnostics += inclusionProblems(inclusions, ownDepths: ownDepths)
        for name in requiredNames where sources[name] == nil {
            diagnostics.append(
                Diagnostic(
                    .missingTemplate, at: .init(file: display(name)), "缺少模板 \(name).mustache",
                    hint: "每个站点都需要 home、list、article 三个模板；可以从 Lanmu 自带的 templates/ 复制"))
        }
        guard diagnostics.isEmpty else { return (nil, diagnostics) }
        let skeletons = PageSkeletons.canRender(sources: sources) ? PageSkeletons(used: used) : nil
        var made = TemplateLibrary(library: library, names: Set(sources.keys), skeletons: skeletons)
        made.digest = digest.finalize()
        made.articleShowsTotal = shows("total", from: "article", names: ownNames, inclusions: inclusions)
        return (made, [])
    }

    /// Whether a data name may be looked up while a template renders: in it, or in any partial or parent it takes in.
    private static func shows(
        _ dataName: String, from start: String, names: [String: Set<String>?], inclusions: [String: [Inclusion]]
    ) -> Bool {
        var seen: Set<String> = [start]
        var pending = [start]
        while let name = pending.popLast() {
            switch names[name] {
            case .some(nil): return true
            case .some(.some(let own)) where own.contains(dataName): return true
            default: break
            }
            for inclusion in inclusions[name] ?? [] where seen.insert(inclusion.target).inserted {
                pending.append(inclusion.target)
            }
        }
        return false
    }

    /// A template parsed in runs of lines (`TemplateChunks`) when it is long, the runs registered as partials; the
    /// whole text parsed at once when it is short or a run does not parse (so that the error names its real line).
    private static func parse(
        _ text: String, name: String, chunkBytes: Int, into library: inout MustacheLibrary
    ) throws -> MustacheTemplate {
        if let split = TemplateChunks.split(text, name: name, chunkBytes: chunkBytes),
            let parts = try? split.parts.map({ ($0.name, try MustacheTemplate(string: contentTypeLine + $0.text)) }),
            let main = try? MustacheTemplate(string: contentTypeLine + split.main)
        {
            for (partName, part) in parts { library.register(part, named: partName) }
            return main
        }
        return try MustacheTemplate(string: contentTypeLine + text)
    }

    /// Put before every template, on a line of its own (a standalone tag leaves no output, and diagnostics take one
    /// off the line number): text is escaped by scalar (`MarkupEscaping`), not by swift-mustache's own escaping.
    private static let contentTypeLine = "{{% CONTENT_TYPE: \(MarkupEscaping.HTMLContentType.name)}}\n"

    /// Renders a checked template: by skeleton when it can, else by swift-mustache directly.
    func render(_ context: [String: Any], withTemplate name: String) -> String {
        if let skeletons, let output = skeletons.render(context, withTemplate: name, library: library) {
            return output
        }
        return renderDirectly(context, withTemplate: name)
    }

    /// Renders a checked template from data written straight into the skeleton's shape (`flatten`); `context`, the
    /// same data as dictionaries, is made only for the first page of a shape, or for every page when the templates
    /// cannot use skeletons.
    func render(
        withTemplate name: String, context: () -> [String: Any], flatten: (inout PageSkeletons.Writer) -> Void
    ) -> String {
        if let skeletons,
            let output = skeletons.render(withTemplate: name, library: library, context: context, flatten: flatten)
        {
            return output
        }
        return renderDirectly(context(), withTemplate: name)
    }

    /// Renders a checked template with swift-mustache, page by page.
    func renderDirectly(_ context: [String: Any], withTemplate name: String) -> String {
        guard let output = library.render(context, withTemplate: name) else {
            preconditionFailure("template \(name) was checked at load time but is missing")
        }
        return output
    }

    private static func describe(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "结束标签 {{/…}} 的名字与开始的 {{#…}} 不一致"
        case .unfinishedName: "标签没有用 }} 结束，或名字里有不允许的字符（{{# }}、{{/ }} 和 {{< }} 的名字不能含 /）"
        case .expectedSectionEnd: "{{#…}} 或 {{^…}} 开始的段落没有对应的 {{/…}}"
        case .invalidSetDelimiter: "改分隔符的标签 {{=… …=}} 写法不对"
        case .transformAppliedToInheritanceSection: "继承的块不能使用变换函数"
        case .illegalTokenInsideInheritSection: "{{<父模板}} 里只能写 {{$块}}"
        case .textInsideInheritSection: "{{<父模板}} 里只能写 {{$块}}，不能直接写文字"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: "{{% … }} 配置写法不对"
        // swift-mustache's reader ran off the end of the text: a tag opened and never closed.
        case nil where "\(error)" == "overflow": "模板到结尾还有一个标签没有用 }} 结束"
        case nil: "模板无法解析（\(error)）"
        }
    }
}
