import RunbookCore
import RunbookYAML
import Testing

/// Issue 13, item 2: lint names the programs in argv that run an interpolated value as code,
/// wrapped or not, and says what the danger is.
@Suite struct CodeEvaluationTests {
    @Test(arguments: [
        (["sh", "-c", "df {{alert.labels.mount}}"], [2], "sh runs argv[2] as a shell script"),
        (["/bin/bash", "-lc", "systemctl restart {{alert.labels.unit}}"], [2], "bash runs argv[2]"),
        (
            ["docker", "exec", "web", "sh", "-c", "kill {{alert.labels.pid}}"], [5],
            "sh (started by docker) runs argv[5] as a shell script"
        ),
        (
            ["kubectl", "exec", "{{alert.labels.pod}}", "-c", "app", "--", "bash", "-c", "ls {{alert.labels.dir}}"],
            [8], "bash (started by kubectl) runs argv[8]"
        ),
        (["psql", "-d", "app", "-c", "SELECT {{alert.labels.id}}"], [4], "psql runs argv[4] as SQL"),
        (["psql", "--command=VACUUM {{alert.labels.table}}"], [1], "`'; DROP TABLE …`"),
        (["sudo", "-u", "postgres", "psql", "-c", "{{alert.labels.sql}}"], [5], "with -v name=value"),
        (["python3", "-c", "print('{{alert.labels.x}}')"], [2], "as Python code"),
        (
            ["ssh", "-o", "BatchMode=yes", "-p", "22", "{{alert.labels.host}}", "uptime", "{{alert.labels.x}}"], [7],
            "on the remote host"
        ),
        (["ssh", "-i", "/k", "web-1", "--", "cat", "{{alert.labels.file}}"], [6], "ssh joins its remote command"),
        (["eval", "{{alert.labels.cmd}}"], [1], "eval runs its arguments"),
        (["sh", "-c", "df -- \"$1\"", "sh", "{{alert.labels.mount}}"], [], ""),
        (["psql", "-v", "id={{alert.labels.id}}", "-c", "SELECT :'id'"], [], ""),
        (["ssh", "{{alert.labels.host}}", "uptime"], [], ""),
        (["kubectl", "exec", "pod", "-c", "{{alert.labels.container}}", "--", "ls"], [], ""),
        (["grep", "-c", "{{alert.labels.pattern}}", "/var/log/syslog"], [], ""),
    ])
    func findings(_ elements: [String], indices: [Int], phrase: String) throws {
        let found = CodeEvaluation.findings(in: try OptionInjectionTests.argv(elements))
        #expect(found.map(\.index) == indices)
        if let first = found.first {
            #expect(first.message.contains(phrase), "\(first.message)")
            #expect(first.message.contains("anyone who can fire an alert chooses its labels"))
        }
    }
}
