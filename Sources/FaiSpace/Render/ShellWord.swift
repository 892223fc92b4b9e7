// ShellWord: how a value that faigen did not write itself enters a generated shell script.

enum ShellWord {
    /// `value` as one POSIX shell word that expands to exactly itself: single quotes,
    /// each embedded `'` written as `'\''`. Nothing inside single quotes is special.
    static func quoted(_ value: String) -> String {
        "'" + value.replacing("'", with: #"'\''"#) + "'"
    }
}
