import RunbookCore
import RunbookTesting
import Testing

/// Odd and random input: parsing and evaluation must never crash, errors must point inside
/// the source, and whatever parses must print and re-parse to the same expression.
@Suite("Expression and interpolation fuzzing")
struct ExpressionFuzzTests {
    private static let fragments = [
        "a", "steps.x.ok", "b-c", "_", "alert.labels[\"k.v\"]", "['q']", " ", "  ", "\n", "\t", "(", ")", "[", "]",
        ",", ".", "\"", "'", "\\", "\"s\"", "'t'", "==", "!=", "<", "<=", ">", ">=", "=~", "!~", "=", "!", "~",
        "&", "|", "&&", "and", "or", "not", "in", "not in", "true", "false", "null", "AND", "0", "1", "-", "-2",
        "3.5", "1.", "9999999999999999999999", "é", "🇫🇷", "e\u{301}", "\u{0}", "\u{A0}", "\u{FEFF}", "\u{10FFFF}",
        "{{", "}}", "{", "}", "+", "$", "#", ":", "\u{7F}", "\r\n",
    ]

    private static func randomSource(_ random: inout SplitMix64) -> String {
        let count = Int.random(in: 0...14, using: &random)
        var source = ""
        for _ in 0..<count { source += fragments.randomElement(using: &random) ?? "" }
        return source
    }

    private static let context = ExpressionTestContext(
        ["a": .string("1"), "b-c": .number(2), "steps.x.ok": .bool(true), "_": .list([.string("a")])])

    @Test(arguments: 0..<8)
    func randomConditions(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
        var parsedCount = 0
        for _ in 0..<2_500 {
            let source = Self.randomSource(&random)
            let length = source.expressionScalarCount
            do {
                let expression = try ExpressionParser.parse(source)
                parsedCount += 1
                for path in expression.paths { #expect((0..<length).contains(path.offset), "\(source)") }
                for regex in expression.regexLiterals { #expect((0..<length).contains(regex.offset), "\(source)") }
                _ = expression.evaluate(in: Self.context)
                let printed = expression.description
                let reparsed = try ExpressionParser.parse(printed)
                #expect(reparsed.withoutOffsets == expression.withoutOffsets, "\(source) printed as \(printed)")
                #expect(reparsed.description == printed, "\(source)")
            } catch {
                #expect((0...length).contains(error.offset), "\(source): \(error)")
                #expect(!error.message.isEmpty)
            }
        }
        #expect(parsedCount > 20)
    }

    /// A random well-formed condition, with random spacing and redundant parentheses.
    private static func randomCondition(_ random: inout SplitMix64, depth: Int = 0) -> String {
        func space() -> String { ["", " ", "  ", "\n", "\t"].randomElement(using: &random) ?? "" }
        func operand() -> String {
            let choice = depth > 6 ? Int.random(in: 0...4, using: &random) : Int.random(in: 0...6, using: &random)
            switch choice {
            case 0:
                return ["steps.a.ok", "alert.labels.env", "a", #"alert.labels["x.y"]"#, "inputs.in"].randomElement(
                    using: &random) ?? "a"
            case 1:
                return ["0", "-1", "2.5", "007", "100000000000000000000", "0.000001"].randomElement(using: &random)
                    ?? "0"
            case 2: return [#""s""#, "'t'", #""q\"\\\n""#, "''", #""é🇫🇷""#].randomElement(using: &random) ?? "''"
            case 3: return ["true", "false", "null"].randomElement(using: &random) ?? "null"
            case 4: return "[" + space() + "]"
            case 5:
                let count = Int.random(in: 1...3, using: &random)
                return "["
                    + (0..<count).map { _ in space() + randomCondition(&random, depth: depth + 3).wrappedInParens }
                    .joined(separator: ",") + "]"
            default: return "(" + space() + randomCondition(&random, depth: depth + 1) + space() + ")"
            }
        }
        let operators = ["==", "!=", "<", "<=", ">", ">=", "=~", "!~", "in", "not in"]
        var terms: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            var term = operand()
            if Bool.random(using: &random) {
                term += " " + (operators.randomElement(using: &random) ?? "==") + " " + operand()
            }
            if Int.random(in: 0...3, using: &random) == 0 { term = "not " + space() + term }
            terms.append(term)
        }
        let joiner = [" and ", " or "].randomElement(using: &random) ?? " and "
        return terms.joined(separator: space() + joiner + space())
    }

    @Test(arguments: 0..<4)
    func randomWellFormedConditionsRoundTrip(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 77)
        for _ in 0..<1_000 {
            let source = Self.randomCondition(&random)
            let expression = try ExpressionParser.parse(source)
            let printed = expression.description
            let reparsed = try ExpressionParser.parse(printed)
            #expect(reparsed.withoutOffsets == expression.withoutOffsets, "\(source) printed as \(printed)")
            #expect(reparsed.description == printed)
            #expect(expression.isTrue(in: Self.context) == reparsed.isTrue(in: Self.context))
        }
    }

    @Test(arguments: 0..<4)
    func randomInterpolations(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 424_242)
        for _ in 0..<2_500 {
            let source = Self.randomSource(&random)
            let length = source.expressionScalarCount
            do {
                let interpolation = try Interpolation.parse(source)
                for path in interpolation.paths { #expect((2..<length).contains(path.offset), "\(source)") }
                // Rebuilding from the segments and parsing again gives the same paths.
                var rebuilt = ""
                for segment in interpolation.segments {
                    switch segment {
                    case .text(let text): rebuilt += text
                    case .expression(let expression): rebuilt += "{{" + expression.description + "}}"
                    }
                }
                let again = try Interpolation.parse(rebuilt)
                #expect(again.paths.map(\.components) == interpolation.paths.map(\.components), "\(source)")
                #expect(interpolation.render { _ in "" }.unicodeScalars.count <= length)
            } catch {
                #expect((0...length).contains(error.offset), "\(source): \(error)")
            }
        }
    }

    @Test(arguments: [
        "\u{0}", "\u{FFFD}", "\u{FEFF}a", "a\u{FEFF}", "\"\u{0}\"", "'\\", "\\", "\"\\\"", "((((", "))))", "[[[[",
        "]]]]",
        ",,,,", "....", "a..b", "a[[\"x\"]]", "a[\"x\"][", "not not not", "in in in", "== == ==", "-", "--1", "-.5",
        "a[\"\\\"]", "🇫🇷🇫🇷🇫🇷", String(repeating: "\"", count: 1001), String(repeating: "'a'", count: 10_000),
        String(repeating: "a.", count: 10_000) + "b", String(repeating: "9", count: 100_000),
    ])
    func oddInputNeverCrashes(source: String) {
        let length = source.expressionScalarCount
        do {
            let expression = try ExpressionParser.parse(source)
            _ = expression.isTrue(in: Self.context)
            _ = expression.description
        } catch {
            #expect((0...length).contains(error.offset))
        }
        do {
            _ = try Interpolation.parse("{{" + source + "}}")
        } catch {
            #expect((0...length + 4).contains(error.offset))
        }
    }

    @Test func randomRegexesNeverCrash() throws {
        var random = SplitMix64(seed: 99)
        let pieces = [
            "(", ")", "[", "]", "*", "+", "?", "{", "}", "|", "\\\\", "^", "$", ".", "a", "-", "(?", ":", "!", "<", "=",
            ",",
        ]
        for _ in 0..<2_000 {
            var pattern = ""
            for _ in 0..<Int.random(in: 0...8, using: &random) { pattern += pieces.randomElement(using: &random) ?? "" }
            let expression = try ExpressionParser.parse("a =~ \"\(pattern)\" or a !~ \"\(pattern)\"")
            _ = expression.isTrue(in: Self.context)
        }
    }
}

extension String {
    fileprivate var wrappedInParens: String { "(" + self + ")" }
}
