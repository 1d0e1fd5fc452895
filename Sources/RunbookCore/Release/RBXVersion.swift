/// rbx's release version, in one place: `rbx --version`, the server's `/api/v2/status` and
/// anything else that reports which rbx is running read it from here.
public enum RBXVersion {
    public static let current = "0.1.0"
}
