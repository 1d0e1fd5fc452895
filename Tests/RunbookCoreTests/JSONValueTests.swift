import Foundation
import RunbookCore
import Testing

/// The intake's JSON parser against Foundation's on the same input, and its refusals.
struct JSONValueTests {
    private func foundation(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    private func same(_ value: JSONValue, _ other: Any) -> Bool {
        switch value {
        case .object(let members):
            guard let dictionary = other as? [String: Any], dictionary.count == members.count else { return false }
            return members.allSatisfy { member in dictionary[member.key].map { same(member.value, $0) } ?? false }
        case .array(let items):
            guard let list = other as? [Any], list.count == items.count else { return false }
            return zip(items, list).allSatisfy { same($0, $1) }
        case .string(let text): return (other as? String) == text
        case .number(let text): return (other as? NSNumber).map { $0.doubleValue == Double(text) } ?? false
        case .bool(let flag): return (other as? NSNumber).map { $0.boolValue == flag } ?? false
        case .null: return other is NSNull
        }
    }

    @Test(
        "agrees with Foundation",
        arguments: [
            #"{"labels":{"alertname":"X","a":"b"},"n":[1,-2.5e3,0,true,false,null],"s":"q\"b\\s\/l\n\t\u00e9\ud83d\ude00"}"#,
            #"[]"#, #"{}"#, #" [ {"a" : [ ] } ] "#, #""just a string""#, #"-0.0"#, #"{"ünï":"😀 \u0000"}"#,
        ])
    func agreesWithFoundation(_ text: String) throws {
        #expect(same(try JSONValue.parse(Array(text.utf8)), try foundation(text)))
    }

    @Test(
        "refuses what is not JSON",
        arguments: [
            #"{"a":}"#, #"[1,]"#, #"{"a" 1}"#, #"01"#, #"1."#, #"tru"#, "\"a\u{1}b\"", #""\x""#, #""\ud800""#,
            #"{"a":1} x"#, "",
            String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
        ])
    func refusesInvalid(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
    }
}
