import ArgumentParser

/// Lets the options every command takes (`--db`, `--as`, `--json`, `--pin-file`) come before the
/// subcommand, as with git or kubectl: `report-cli --db f.sqlite list` runs as `report-cli list --db f.sqlite`.
enum GlobalArgumentOrder {
    /// The global options that take a value.
    static let valued: Set<String> = ["--db", "--as", "--pin-file"]
    /// The global flags.
    static let flags: Set<String> = ["--json"]

    /// `arguments` (without the program name) with the global options given before the subcommand moved
    /// to just after its name (`conflicts list` is one name), so that one given again later wins as
    /// it would after the subcommand; anything else is left exactly as it was.
    ///
    /// - Parameter root: the command whose subcommands name the path to skip.
    static func reordered(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var leading: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let name = String(argument.prefix { $0 != "=" })
            if flags.contains(argument) || (valued.contains(name) && argument.contains("=")) {
                leading.append(argument)
                index += 1
            } else if valued.contains(argument), index + 1 < arguments.endIndex {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.endIndex else { return arguments }
        var rest = Array(arguments[index...])
        var command = root
        var afterPath = 0
        while afterPath < rest.count,
            let next = command.configuration.subcommands.first(where: { $0._commandName == rest[afterPath] || $0.configuration.aliases.contains(rest[afterPath]) })
        {
            command = next
            afterPath += 1
        }
        rest.insert(contentsOf: leading, at: afterPath)
        return rest
    }
}
