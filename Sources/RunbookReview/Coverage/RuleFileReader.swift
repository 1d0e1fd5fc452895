import Foundation
public import RunbookYAML

/// Reads the alerting rules of Prometheus rule files (`groups: [{name, rules: [{alert, expr,
/// labels}]}]`); recording rules are skipped. The YAML goes through rbx's own parser, so errors
/// carry file:line:col; PromQL validity is `promtool check rules`' job, not this reader's.
public enum RuleFileReader {
    /// Larger rule files exist only by mistake (a generated dump); the bound keeps one from
    /// taking the machine's memory.
    public static let sizeLimit = 16 << 20

    public static func read(_ path: String) throws(RuleFileError) -> [AlertingRule] {
        let start = SourceLocation(file: path, position: SourcePosition(line: 1, column: 1))
        let bytes: [UInt8]
        do {
            bytes = try BoundedFile.read(path, limit: sizeLimit)
        } catch {
            switch error {
            case .unreadable(let reason): throw RuleFileError(code: .unreadable, message: reason, location: start)
            case .tooLarge:
                throw RuleFileError(
                    code: .tooLarge, message: "rule files over \(sizeLimit >> 20) MiB are refused", location: start)
            }
        }
        return try parse(bytes, file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(RuleFileError) -> [AlertingRule] {
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(bytes, file: file)
        } catch {
            throw RuleFileError(code: .syntax, message: error.message, location: error.location)
        }
        guard let root else { return [] }
        guard root.mapping != nil else { throw shape(root, "a rule file is a mapping with groups:") }
        guard let groups = root["groups"] else { return [] }
        guard let groupList = groups.sequence else { throw shape(groups, "groups must be a list") }
        var rules: [AlertingRule] = []
        for group in groupList {
            guard group.mapping != nil else { throw shape(group, "a group is a mapping with name: and rules:") }
            let groupName = group["name"]?.scalar?.value ?? ""
            guard let ruleList = group["rules"]?.sequence ?? (group["rules"] == nil ? [] : nil) else {
                throw shape(group["rules"] ?? group, "rules must be a list")
            }
            for rule in ruleList {
                guard rule.mapping != nil else { throw shape(rule, "a rule is a mapping with alert: or record:") }
                if let alert = try alertingRule(rule, group: groupName) { rules.append(alert) }
            }
        }
        return rules
    }

    private static func alertingRule(_ node: YAMLNode, group: String) throws(RuleFileError) -> AlertingRule? {
        guard let alertNode = node["alert"] else { return nil }
        guard let name = alertNode.scalar?.value, !name.isEmpty else {
            throw shape(alertNode, "alert must be the alert's name")
        }
        guard let expression = node["expr"]?.scalar?.value else {
            throw shape(node["expr"] ?? node, "alert \(name) needs expr: (a PromQL expression)")
        }
        var labels: [String: AlertingRule.LabelValue] = [:]
        if let labelNode = node["labels"], !(labelNode.scalar?.isNull ?? false) {
            guard let entries = labelNode.mapping else { throw shape(labelNode, "labels must be a mapping") }
            for entry in entries {
                guard let value = entry.value.scalar?.value else {
                    throw shape(entry.value, "label \(entry.key) must be a string")
                }
                labels[entry.key] = value.contains("{{") ? .templated(value) : .fixed(value)
            }
        }
        return AlertingRule(
            name: name, group: group, expression: expression, labels: labels, location: alertNode.location)
    }

    private static func shape(_ node: YAMLNode, _ message: String) -> RuleFileError {
        RuleFileError(code: .shape, message: message, location: node.location)
    }
}
