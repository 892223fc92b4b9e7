// TEMPORARY stand-in until the model engineer's GeneratedFile lands on main; deleted at rebase.
public struct GeneratedFile: Sendable, Hashable {
    public var path: String
    public var contents: [UInt8]
    public var mode: UInt32
    public init(path: String, contents: [UInt8], mode: UInt32) {
        self.path = path
        self.contents = contents
        self.mode = mode
    }
}
