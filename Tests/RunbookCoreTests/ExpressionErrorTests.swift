import RunbookCore
import Testing

@Suite("Expression parser: error messages and offsets")
struct ExpressionErrorTests {
    @Test(arguments: [
        // Missing or empty
        ("", "empty condition", 0),
        ("  \n ", "empty condition", 0),
        ("a and", #"expected an operand after "and""#, 5),
        ("a or ", #"expected an operand after "or""#, 5),
        ("not", #"expected an operand after "not""#, 3),
        ("a and not", #"expected an operand after "not""#, 9),
        ("a ==", #"expected an operand after "==""#, 4),
        ("a in", #"expected an operand after "in""#, 4),
        ("a not in", #"expected an operand after "not in""#, 8),
        ("a == )", #"expected an operand after "==""#, 5),
        ("a == not b", #"expected an operand after "==""#, 5),
        ("()", #"expected an operand after "(""#, 1),
        ("(", #"expected an operand after "(""#, 1),
        ("[", #"expected an operand after "[""#, 1),
        ("[a,", #"expected an operand after ",""#, 3),
        ("[a,]", #"expected an operand after ",""#, 3),
        ("and a", #"expected an operand before "and""#, 0),
        ("in", #"expected an operand before "in""#, 0),
        ("== a", #"expected an operand before "==""#, 0),
        // Stray and unclosed brackets
        (")", #"unexpected ")""#, 0),
        ("a)", #"unexpected ")""#, 1),
        ("a ]", #"unexpected "]""#, 2),
        ("a ,", #"unexpected ",""#, 2),
        (".5", #"unexpected ".""#, 0),
        ("a .b", #"unexpected ".""#, 2),
        ("true.x", #"unexpected ".""#, 4),
        ("(a", #"unclosed "(""#, 0),
        ("x and ((a)", #"unclosed "(""#, 6),
        ("(a]", #"unexpected "]""#, 2),
        ("[a", #"unclosed "[""#, 0),
        ("[a)", #"unexpected ")""#, 2),
        ("[a b]", #"expected "," or "]" before "b""#, 3),
        ("[a b]", #"expected "," or "]" before "b""#, 3),
        // Missing operators
        ("a b", #"expected an operator before "b""#, 2),
        (#"a "x""#, #"expected an operator before "x""#, 2),
        ("a 'x'", "expected an operator before 'x'", 2),
        ("(a b)", #"expected an operator before "b""#, 3),
        ("a == 'x'y", #"expected an operator before "y""#, 8),
        ("a (b)", #"expected an operator before "(""#, 2),
        ("a == b == c", #"comparisons cannot be chained; combine them with "and""#, 7),
        ("a < b in c", #"comparisons cannot be chained; combine them with "and""#, 6),
        ("a == b not in c", #"comparisons cannot be chained; combine them with "and""#, 7),
        ("a not b", #"expected "in" after "not""#, 6),
        // Operators from other languages
        ("a = b", #""=" is not an operator; did you mean "=="?"#, 2),
        ("a === b", #""=" is not an operator; did you mean "=="?"#, 4),
        ("a && b", #""&&" is not an operator; use "and""#, 2),
        ("a & b", #""&" is not an operator; use "and""#, 2),
        ("a || b", #""||" is not an operator; use "or""#, 2),
        ("a | b", #""|" is not an operator; use "or""#, 2),
        ("!a", #""!" is not an operator; use "not""#, 0),
        ("a => 1", #""=>" is not an operator; did you mean ">="?"#, 2),
        ("a =< 1", #""=<" is not an operator; did you mean "<="?"#, 2),
        ("a <> 1", #""<>" is not an operator; did you mean "!="?"#, 2),
        ("a ~= 'x'", #""~=" is not an operator; did you mean "=~"?"#, 2),
        // Keywords are lowercase
        ("a AND b", #"keywords are lowercase: write "and", not "AND""#, 2),
        ("a Or b", #"keywords are lowercase: write "or", not "Or""#, 2),
        ("NOT a", #"keywords are lowercase: write "not", not "NOT""#, 0),
        ("a == True", #"keywords are lowercase: write "true", not "True""#, 5),
        ("a != NULL", #"keywords are lowercase: write "null", not "NULL""#, 5),
        ("a IN [1]", #"keywords are lowercase: write "in", not "IN""#, 2),
        // Strings
        (#"a == "abc"#, "unterminated string", 5),
        (#"a == 'abc\'"#, "unterminated string", 5),
        (#"a == "ab\"#, "unterminated string", 5),
        (#"a == "it's'"#, "unterminated string", 5),
        (#"a =~ "\d+""#, #"unknown escape "\d"; write "\\d" for a literal backslash"#, 6),
        (#"a == "\é""#, #"unknown escape "\é"; write "\\é" for a literal backslash"#, 6),
        ("a == \"\\\n\"", #"unknown escape: a backslash followed by U+000A; write "\\" for a literal backslash"#, 6),
        // Numbers
        ("a == 1.2.3", #"invalid number "1.2.3""#, 5),
        ("a > 90x", #"invalid number "90x"; a duration is written like 30s, 5m, 1h30m or 250ms"#, 4),
        ("a > 5m30h", #"invalid number "5m30h"; a duration is written like 30s, 5m, 1h30m or 250ms"#, 4),
        ("a > 20000d", #"duration "20000d" is longer than 10000 days"#, 4),
        ("a > 1.", #"invalid number "1.""#, 4),
        ("a > 5 -", #"expected an operand after "-""#, 7),
        ("a > 1e3", #"invalid number "1e3""#, 4),
        ("a > 0x10", #"invalid number "0x10""#, 4),
        ("a > 1" + String(repeating: "0", count: 400), #"number "10000000000000000000…" is too large"#, 4),
        ("a > * 1", #"expected an operand after ">""#, 4),
        // Paths
        ("a.", #"expected a name after ".""#, 2),
        ("a. b", #"expected a name after ".""#, 2),
        ("steps.1.ok", #"expected a name after ".""#, 6),
        ("a[0", #"unclosed "[""#, 1),
        ("a[]", #"expected an operand after "[""#, 2),
        ("lenn(a)", #"unknown function "lenn"; did you mean "len"?"#, 0),
        ("len(a, b)", "len() takes 1 argument, not 2; as in len(steps.ps.outputs.pids)", 0),
        ("replace(a)", #"replace() takes 3 arguments, not 1; as in replace(alert.labels.instance, ":9100", "")"#, 0),
        ("lower(x for x in a)", #"this function does not take a "for" list"#, 8),
        ("any(x for in a)", #"expected a name after "for", as in "x > 90 for x in steps.df.outputs.used""#, 10),
        ("any(x for x a)", #"expected "in" after "for x""#, 12),
        ("any(x for alert in a)", #""alert" already names what conditions refer to; choose another name"#, 10),
        ("any(x for x in a, 1)", #"a "for" list must be the only item; put it in its own [ ] or ( )"#, 16),
        ("len(x)[0] .b", #"unexpected ".""#, 10),
        (#"a["x""#, #"expected "]" to close "[""#, 1),
        (#"a["x" == 1"#, #"expected "]" to close "[""#, 6),
        (#"a["x"#, "unterminated string", 2),
        // Characters
        ("a ^ b", #"unexpected character "^""#, 2),
        ("$x", #"unexpected character "$""#, 0),
        ("a ~ b", #"unexpected character "~""#, 2),
        ("a\u{00A0}== b", "unexpected character U+00A0", 1),
        ("a\u{0}", "unexpected character U+0000", 1),
        ("a == b\u{200B}", "unexpected character U+200B", 6),
        ("é", #"unexpected character "é""#, 0),
        ("a == \u{301}", "unexpected character U+0301", 5),
        // Offsets are in Unicode scalars
        (#""é" == "#, #"expected an operand after "==""#, 7),
        ("\"e\u{301}\" == ", #"expected an operand after "==""#, 8),
        ("\"🇫🇷\" = 1", #""=" is not an operator; did you mean "=="?"#, 5),
        ("'日本語' ^ 1", #"unexpected character "^""#, 6),
    ])
    func syntaxErrors(source: String, message: String, offset: Int) {
        #expect(throws: ExpressionSyntaxError(message, at: offset)) {
            try ExpressionParser.parse(source)
        }
    }

    @Test func nestedParenthesesAreBounded() {
        let depth = ExpressionParser.maximumDepth + 1
        let source = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(throws: ExpressionSyntaxError("nesting deeper than 64 levels", at: 64)) {
            try ExpressionParser.parse(source)
        }
    }

    @Test func nestedNotIsBounded() {
        let source = String(repeating: "not ", count: 65) + "a"
        #expect(throws: ExpressionSyntaxError("nesting deeper than 64 levels", at: 256)) {
            try ExpressionParser.parse(source)
        }
    }

    @Test func mixedNestingIsBounded() {
        let source = String(repeating: "(not [", count: 22)
        #expect(throws: ExpressionSyntaxError("nesting deeper than 64 levels", at: 127)) {
            try ExpressionParser.parse(source)
        }
    }

    @Test(arguments: [100_000, 1_000_000])
    func hostileDepthGivesAnErrorNotACrash(count: Int) {
        for unit in ["(", "[", "not ", "a == (", "[[", "((not "] {
            let source = String(repeating: unit, count: count)
            #expect(throws: ExpressionSyntaxError.self) { try ExpressionParser.parse(source) }
        }
    }

    @Test func descriptionNamesTheOffset() {
        #expect(ExpressionSyntaxError("unterminated string", at: 5).description == "offset 5: unterminated string")
    }
}
