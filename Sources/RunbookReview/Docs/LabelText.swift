/// `name="value"` the way Alertmanager prints labels, quotes and backslashes escaped.
enum LabelText {
    static func matcher(_ name: String, _ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return name + "=\"" + escaped + "\""
    }
}
