/// Where the value of a setting came from, as `config show` names it.
enum SettingSource: Equatable {
    case flag
    case environment(String)
    case replica
    case configFile
    case builtIn
    case unset

    var description: String {
        switch self {
        case .flag: "from the command line"
        case .environment(let name): "from $\(name)"
        case .replica: "from the replica (member use)"
        case .configFile: "from the config file"
        case .builtIn: "built in"
        case .unset: "not set"
        }
    }
}
