/// Templates that include themselves — directly (`partials/a` has `{{> partials/a}}`), through other partials, or a
/// layout that inherits from itself — would be expanded without end when rendered (Lanmu's page data has no
/// nesting that could stop it: a name not found in an inner context is looked up in the outer one), so they are
/// refused when templates are checked.
extension TemplateLibrary {
    /// A `{{> partial}}` or `{{<parent}}` tag naming a template that exists.
    struct Inclusion {
        var target: String
        var location: Diagnostic.Location
    }

    /// One error per cycle, at the including tag of its first template in name order, naming the whole cycle
    /// (`partials/a → partials/b → partials/a`).
    static func cycles(in inclusions: [String: [Inclusion]]) -> [Diagnostic] {
        enum Mark { case open, done }
        var marks: [String: Mark] = [:]
        // The templates being followed, each with the tag it was left by.
        var path: [(name: String, inclusion: Inclusion?)] = []
        var found: Set<[String]> = []
        var diagnostics: [Diagnostic] = []

        func report(from start: Int, closedBy inclusion: Inclusion) {
            var steps = Array(path[start...])
            steps[steps.count - 1].inclusion = inclusion
            // Rotated to begin at its first name, so a cycle found from any of its templates is reported once.
            let first = steps.indices.min { steps[$0].name < steps[$1].name }!
            steps = Array(steps[first...] + steps[..<first])
            let names = steps.map(\.name)
            guard found.insert(names).inserted, let at = steps[0].inclusion else { return }
            diagnostics.append(
                Diagnostic(
                    .templateCycle, at: at.location, "模板循环包含自己：\((names + [names[0]]).joined(separator: " → "))",
                    hint: "渲染时会一层层无限展开下去；去掉这一处的 {{> …}} 或 {{< …}}，让包含关系不再绕回这个模板"))
        }

        func visit(_ name: String) {
            marks[name] = .open
            path.append((name, nil))
            for inclusion in inclusions[name] ?? [] {
                path[path.count - 1].inclusion = inclusion
                switch marks[inclusion.target] {
                case .open:
                    let start = path.lastIndex { $0.name == inclusion.target }!
                    report(from: start, closedBy: inclusion)
                case .done:
                    break
                case nil:
                    visit(inclusion.target)
                }
            }
            path.removeLast()
            marks[name] = .done
        }

        for name in inclusions.keys.sorted() where marks[name] == nil { visit(name) }
        return diagnostics
    }
}
