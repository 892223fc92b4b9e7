// FaigenVersion: the one place faigen's version is written; `faigen --version` prints it and
// the Makefile reads it (sed) for `make deb`'s package version.
public enum FaigenVersion {
    /// The release version, Debian-style upstream version syntax (digits and dots).
    public static let string = "0.1.0"
}
