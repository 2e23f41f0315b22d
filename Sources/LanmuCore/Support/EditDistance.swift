/// Suggestions for misspelt names ("did you mean …"), for diagnostics and for the command line's usage messages.
public enum EditDistance {
    /// The edit distance between two strings in characters, where swapping two neighbours counts as one edit
    /// (optimal string alignment), since `tilte` is a typo of `title`.
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = Swift.min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = Swift.min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    /// The closest candidate within a distance of a third of the name's length (at least 2), if any.
    public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let limit = Swift.max(2, name.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let distance = between(name.lowercased(), candidate.lowercased())
            if distance <= limit, best == nil || distance < best!.1 || (distance == best!.1 && candidate < best!.0) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }
}
