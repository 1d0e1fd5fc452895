/// A line diff small enough to read in a pull-request comment: the longest common
/// subsequence of lines, then `- ` for lines only before and `+ ` for lines only after.
enum TextDiff {
    static func lines(from old: String, to new: String, limit: Int = 20) -> [String] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard a.count * b.count <= 250_000 else { return ["(message too long to diff line by line)"] }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var output: [String] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                i += 1
                j += 1
            } else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] {
                output.append("- " + a[i])
                i += 1
            } else {
                output.append("+ " + b[j])
                j += 1
            }
        }
        return output.count > limit
            ? Array(output.prefix(limit)) + ["… \(output.count - limit) more changed lines"] : output
    }
}
