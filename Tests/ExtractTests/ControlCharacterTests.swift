import Testing

@testable import Extract

@Suite struct ControlCharacterTests {
    @Test(arguments: [
        ("", false), ("KH00000001", false), ("\u{0}", true), ("KH\u{0}2", true), ("韩梅\u{0}梅", true),
        ("韩梅梅\u{0}", true), ("\u{1}\u{7F}", false), (String(repeating: "长", count: 10_000) + "\u{0}", true),
    ])
    func findsANULByte(text: String, holdsNUL: Bool) {
        #expect(text.containsNUL == holdsNUL)
        #expect(text.containsNUL == text.utf8.contains(0))
    }

    @Test func escapesEachControlCharacter() {
        #expect("KH\u{0}2\u{7F}".escapingControlCharacters == "KH\\u{0}2\\u{7f}")
        #expect("韩梅梅".escapingControlCharacters == "韩梅梅")
    }
}
