import ArgumentParser
import Foundation
import Store
import StorePostgres
import SyncCore

/// `report-cli bundle`: changes carried by hand on a USB stick, encrypted and signed (docs/bundles.md).
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Carry changes by hand: secret reports, and every change of a site with no network.",
        discussion: """
            On a field device: report-cli bundle export --out FILE writes, encrypted to the central, what may not cross \
            the network (secret reports); --all takes the whole outbox, --report ID those reports. At the central: \
            report-cli --db central.sqlite bundle import FILE, then bundle export --unit UNIT --out FILE for the way \
            back, which report-cli bundle import FILE takes in on each device of the unit. A central on PostgreSQL \
            (--db postgres://…) keeps attachments' files in the folder syncd serve --files serves: give it as --files.
            """,
        subcommands: [BundleExport.self, BundleImport.self])
}

/// `report-cli bundle export`: a bundle of a field's outbox for the central, or of a unit's feed for its devices.
struct BundleExport: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a bundle: on a field for the central, at the central for a unit's devices.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The bundle file to write (never overwritten).") var out: String
    @Option(name: .customLong("report"), help: "On a field: take only the outbox changes of this report (repeatable).")
    var reports: [String] = []
    @Flag(help: "On a field: take the whole outbox, for a site with no network.") var all = false
    @Option(help: "At the central: the unit whose devices the bundle is for.") var unit: String?
    @Option(help: "At the central: start after this central sequence (default: the least a device of the unit named).") var after:
        Int64?
    @Option(help: "At a central on PostgreSQL: the folder of its attachments' files (the one syncd serve --files serves).") var files:
        String?

    func execute(in context: CommandContext) async throws {
        let path = context.absolute(out)
        if let central = try global.postgres(in: context) {
            let unit = try centralUnit()
            let bundle = try await PostgresCentral.exportBundle(unit: unit, after: after, files: files.map(context.absolute), at: central)
            return try say(bundle, for: unit, at: path, in: context)
        }
        let replica = try global.openReplica(in: context)
        switch try replica.role() {
        case .central:
            let unit = try centralUnit()
            try say(try CentralReplica(replica).exportBundle(unit: unit, after: after), for: unit, at: path, in: context)
        case .field:
            guard unit == nil, after == nil else {
                throw ReportSyncError(.invalidInput, "--unit and --after are for the central's bundles")
            }
            guard reports.isEmpty || !all else { throw ReportSyncError(.invalidInput, "give --report or --all, not both") }
            let selection: FieldReplica.BundleSelection = all ? .all : reports.isEmpty ? .held : .reports(reports)
            let bundle = try FieldReplica(replica).exportBundle(selection)
            try BundleFiles.write(bundle.file, to: path)
            if global.json {
                return context.print(try Rendering.json(BundleView(header: bundle.header, path: path, changes: bundle.changes)))
            }
            context.print(
                "wrote bundle \(bundle.header.id) for the central to \(path): \(bundle.changes) changes of \(bundle.reports) reports, encrypted to the central; they stay in the outbox until the central's bundle shows it has them"
            )
        case .standalone:
            throw ReportSyncError(
                .invalidInput, "a standalone replica syncs with nobody; bundles go between field devices and their central")
        }
    }

    /// The unit a central's bundle is for, after refusing the options that are a field's.
    private func centralUnit() throws -> String {
        guard let unit else {
            throw ReportSyncError(.invalidInput, "at the central, say which unit the bundle is for: --unit UNIT")
        }
        guard reports.isEmpty, !all else {
            throw ReportSyncError(
                .invalidInput, "--report and --all choose a field's outbox; at the central a bundle takes what the unit lacks"
            )
        }
        if let after, after < 0 { throw ReportSyncError(.invalidInput, "--after takes a central sequence, 0 or more") }
        return unit
    }

    /// Writes a central's bundle for `unit` to `path` and says what it holds.
    private func say(_ bundle: CentralReplica.UnitBundleExport, for unit: String, at path: String, in context: CommandContext) throws {
        try BundleFiles.write(bundle.file, to: path)
        if global.json {
            return context.print(try Rendering.json(BundleView(header: bundle.header, path: path, changes: bundle.changes)))
        }
        context.print(
            "wrote bundle \(bundle.header.id) for \(unit) to \(path): \(bundle.changes) changes (central \(bundle.after)–\(bundle.covered)), encrypted to \(bundle.devices.joined(separator: ", "))"
        )
    }
}

/// `report-cli bundle import`: takes in a bundle written for this replica.
struct BundleImport: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a bundle: at the central from a device, on a device from the central.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The bundle file.") var file: String
    @Option(help: "At a central on PostgreSQL: the folder its attachments' files are kept in (the one syncd serve --files serves).")
    var files: String?

    func execute(in context: CommandContext) async throws {
        let data = try BundleFiles.read(context.absolute(file))
        if let central = try global.postgres(in: context) {
            return try say(try await PostgresCentral.importBundle(data, files: files.map(context.absolute), at: central), in: context)
        }
        let replica = try global.openReplica(in: context)
        switch try replica.role() {
        case .central:
            try say(try CentralReplica(replica).importBundle(data), in: context)
        case .field:
            let imported = try FieldReplica(replica).importBundle(data)
            if global.json {
                return context.print(
                    try Rendering.json(
                        FieldImportView(
                            id: imported.header.id, changes: imported.changes, applied: imported.applied, delivered: imported.delivered,
                            covered: imported.covered)))
            }
            context.print(
                "imported bundle \(imported.header.id) from the central: \(imported.changes) changes (\(imported.applied) new here); \(imported.delivered) of this device's changes reached the central and left the outbox"
                    + (imported.files > 0 ? "; \(imported.files) attached file(s)" : ""))
            for notice in imported.recovery.notices + imported.reissue.notices { context.print(notice) }
        case .standalone:
            throw ReportSyncError(
                .invalidInput, "a standalone replica syncs with nobody; bundles go between field devices and their central")
        }
    }

    /// Says what importing a device's bundle at the central did.
    private func say(_ imported: CentralReplica.BundleImport, in context: CommandContext) throws {
        let counts = Dictionary(grouping: imported.results, by: \.status).mapValues(\.count)
        if global.json { return context.print(try Rendering.json(imported.results)) }
        var line =
            "imported bundle \(imported.header.id) from \(imported.device.device) (\(imported.device.unit)): \(imported.results.count) changes"
        line += ", accepted \(counts[.accepted, default: 0]), already here \(counts[.duplicate, default: 0])"
        if let waiting = counts[.waiting] { line += ", waiting for earlier changes \(waiting)" }
        if let rejected = counts[.rejected] { line += ", refused \(rejected) (the device learns why from the bundle back)" }
        if let taken = counts[.dotTaken] {
            line += ", \(taken) under dots already used (the device's file is an older copy; the bundle back has it write them again)"
        }
        if imported.files > 0 { line += "; \(imported.files) attached file(s)" }
        context.print(line)
    }
}

/// What `bundle import --json` prints on a field device.
struct FieldImportView: Encodable {
    let id: String
    let changes: Int
    let applied: Int
    let delivered: Int
    let covered: Int64
}

/// What `bundle export --json` prints.
struct BundleView: Encodable {
    let header: BundleHeader
    let path: String
    let changes: Int
}

/// Reading and writing bundle files: a bundle is written whole or not at all, and never over another file.
enum BundleFiles {
    static func write(_ data: Data, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ReportSyncError(.alreadyExists, "\(path) already exists; choose another --out")
        }
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw ReportSyncError(.storage, "cannot write \(path): is the directory there and writable, the stick mounted?") }
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw ReportSyncError(
                .storage, "could not write the whole bundle to \(path) (is the stick full?); nothing was written")
        }
    }

    static func read(_ path: String) throws -> Data {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { throw ReportSyncError(.notFound, "no bundle file at \(path)") }
        guard size <= BundleFile.maxBytes else {
            throw ReportSyncError(.tooLarge, "\(path) is larger than a bundle may be (\(BundleFile.maxBytes / 1024 / 1024) MiB)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportSyncError(.storage, "cannot read \(path)")
        }
        return data
    }
}
