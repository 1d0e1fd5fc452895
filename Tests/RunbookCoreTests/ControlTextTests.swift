import RunbookCore
import Testing

@Suite struct ControlTextTests {
    @Test(arguments: [
        ("plain text, unchanged", "plain text, unchanged"),
        ("a\nb", #"a\nb"#),
        ("a\r\nb\tc", #"a\r\nb\tc"#),
        ("\u{1B}[31mred\u{1B}[0m", #"\u{1B}[31mred\u{1B}[0m"#),
        ("nul\u{0}del\u{7F}c1\u{85}", #"nul\u{0}del\u{7F}c1\u{85}"#),
        ("bidi \u{202E}txt.exe", #"bidi \u{202E}txt.exe"#),
        ("line\u{2028}sep", #"line\u{2028}sep"#),
        (#"a backslash \n stays"#, #"a backslash \n stays"#),
        ("ünïcödé ✓ stays", "ünïcödé ✓ stays"),
    ])
    func controlCharactersAreShownAsEscapes(_ text: String, expected: String) {
        #expect(ControlText.escape(text) == expected)
    }
}
