/// Templates that include themselves — directly (`partials/a` has `{{> partials/a}}`), through other partials, or a
/// layout that inherits from itself — would be expanded without end when rendered (Lanmu's page data has no
/// nesting that could stop it: a name not found in an inner context is looked up in the outer one), and a chain of
/// inclusions can nest as deep as one template nested past the limit; both are refused when templates are checked.
extension TemplateLibrary {
    /// A `{{> partial}}` or `{{<parent}}` tag naming a template that exists, with the sections open around it.
    struct Inclusion {
        var target: String
        var location: Diagnostic.Location
        var depth: Int
    }

    /// One error per cycle, at the including tag of its first template in name order, naming the whole cycle
    /// (`partials/a → partials/b → partials/a`); without cycles, one error if a chain of inclusions nests deeper
    /// than `limit` (`ownDepths`: each template's deepest nesting of its own).
    static func inclusionProblems(
        _ inclusions: [String: [Inclusion]], ownDepths: [String: Int], limit: Int = TemplateScanner.nestingLimit
    ) -> [Diagnostic] {
        var found: Set<[String]> = []
        var diagnostics: [Diagnostic] = []
        var deepest: [String: Int] = [:]
        func depth(through inclusion: Inclusion) -> Int { inclusion.depth + 1 + (deepest[inclusion.target] ?? 0) }
        walk(inclusions) { path, inclusion in
            let start = path.lastIndex { $0.name == inclusion.target }!
            var steps = Array(path[start...])
            // Rotated to begin at its first name, so a cycle found from any of its templates is reported once.
            let first = steps.indices.min { steps[$0].name < steps[$1].name }!
            steps = Array(steps[first...] + steps[..<first])
            let names = steps.map(\.name)
            guard found.insert(names).inserted, let at = steps[0].inclusion else { return }
            diagnostics.append(
                Diagnostic(
                    .templateCycle, at: at.location, "模板循环包含自己：\((names + [names[0]]).joined(separator: " → "))",
                    hint: "渲染时会一层层无限展开下去；去掉这一处的 {{> …}} 或 {{< …}}，让包含关系不再绕回这个模板"))
        } finished: { name in
            deepest[name] = (inclusions[name] ?? []).reduce(ownDepths[name] ?? 0) { max($0, depth(through: $1)) }
        }
        guard diagnostics.isEmpty else { return diagnostics }
        for name in inclusions.keys.sorted() where deepest[name]! > limit {
            let inclusion = inclusions[name]!.first { depth(through: $0) > limit }!
            return [
                Diagnostic(
                    .templateTooDeep, at: inclusion.location,
                    "包含“\(inclusion.target)”后，{{#…}}、{{^…}}、{{<…}}、{{$…}} 和包含的模板一共套了 "
                        + "\(depth(through: inclusion)) 层，超过 \(limit) 层",
                    hint: "缩短局部模板一层包含一层的链条，或减少嵌套；模板最多套 \(limit) 层，包含的模板也算在内")
            ]
        }
        return []
    }

    /// Follows the inclusions depth first from each template in name order, without recursion (a chain of many
    /// templates must not overflow the stack): `backEdge` gets the templates being followed, each with the tag it
    /// was left by, when an inclusion leads back to one of them; `finished` gets each template once all it includes
    /// is finished.
    private static func walk(
        _ inclusions: [String: [Inclusion]],
        backEdge: ([(name: String, inclusion: Inclusion?)], Inclusion) -> Void, finished: (String) -> Void
    ) {
        enum Mark { case open, done }
        var marks: [String: Mark] = [:]
        for root in inclusions.keys.sorted() where marks[root] == nil {
            var path: [(name: String, inclusion: Inclusion?)] = [(root, nil)]
            var next = [0]
            marks[root] = .open
            while let top = path.last {
                let edges = inclusions[top.name] ?? []
                let index = next[next.count - 1]
                guard index < edges.count else {
                    marks[top.name] = .done
                    finished(top.name)
                    path.removeLast()
                    next.removeLast()
                    continue
                }
                next[next.count - 1] += 1
                let inclusion = edges[index]
                path[path.count - 1].inclusion = inclusion
                switch marks[inclusion.target] {
                case .open:
                    backEdge(path, inclusion)
                case .done:
                    break
                case nil:
                    marks[inclusion.target] = .open
                    path.append((inclusion.target, nil))
                    next.append(0)
                }
            }
        }
    }
}
