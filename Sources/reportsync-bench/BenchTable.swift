import Foundation

/// The figures of one run as a table: each figure beside its anchor from the same run, the ratio, and the goal.
struct BenchTable {
    /// Rows of five cells: figure, value, anchor, ratio, goal.
    private var rows: [[String]] = []

    init(_ f: Bench.Figures) {
        if let m = f.merge {
            let yrs = f.peers?.yrsMergeRecordsPerSecond
            add(
                "merge \(m.writes) writes in memory", rate(m.recordsPerSecond), yrs.map { "Yrs " + rate($0) } ?? "Yrs: give --peers",
                yrs.map { times(m.recordsPerSecond / $0) } ?? "", "≥ 1× Yrs")
        }
        if let a = f.apply {
            add("apply \(a.changes) changes into SQLite", rate(a.replicaPerSecond), "raw upsert " + rate(a.rawPerSecond), times(a.ratio), "≥ 0.4×")
        }
        if let p = f.push {
            add("push \(p.changes) reports over HTTP", rate(p.perSecond), "raw insert " + rate(p.rawInsertPerSecond), times(p.ratio),
                "≥ 100k rec/s, ≥ 0.4×")
            add("idle sync", "\(p.idleRoundTrips) round trip, \(p.idleResponseBytes) B", "", "", "1 round trip")
        }
        if let p = f.postgresPush {
            add("push \(p.changes) reports into PostgreSQL", rate(p.perSecond), "SQLite central " + rate(p.sqlitePerSecond), times(p.ratio), "≥ 0.5×")
            if let tps = p.pgbenchSelectTPS { add("pgbench -S, 2 clients (ceiling)", String(format: "%.0f tps", tps), "", "", "") }
        }
        if let l = f.postgresLoad {
            let one = l.postgresOneServer, two = l.postgresTwoServers
            add(
                "\(one.devices) devices × \(one.roundsPerDevice) rounds, 1 syncd on PostgreSQL", rounds(one), "SQLite syncd " + rounds(l.sqlite),
                times(l.oneOverSQLite), "")
            add("\(two.devices) devices × \(two.roundsPerDevice) rounds, 2 syncd on PostgreSQL", rounds(two), "1 syncd " + rounds(one), times(l.twoOverOne), "≥ 1.5×")
        }
        addIncremental(f.incremental.map { ($0.centralReports, $0.roundMilliseconds) }, store: "")
        addIncremental(f.postgresIncremental.map { ($0.centralReports, $0.roundMilliseconds) }, store: " on PostgreSQL")
        if let m = f.memory {
            add("central peak RSS, \(m.centralReports) reports, \(m.pulledChanges) pulled", String(format: "%.0f MiB", m.peakRSSMebibytes),
                "", "", "< 256 MiB at 1M")
        }
        if let w = f.wire {
            add("wire bytes per changed record", String(format: "%.0f B (gzip %.0f B)", w.bytesPerChange, w.gzipBytesPerChange),
                "payload \(w.payloadBytes) B; Yrs 325 B, Loro 314 B", String(format: "+%.0f B", w.overheadBytes), "≤ payload + 64 B")
            add("100-change delta after \(w.overwrites) overwrites", "\(w.deltaBytesAfter) B", "before: \(w.deltaBytesBefore) B",
                times(w.growth), "flat (Yrs 5×, Loro 1×)")
        }
        if let d = f.desk {
            for page in d.pages {
                add(
                    "desk \(page.path.prefix(40)) at \(d.centralReports) reports",
                    String(format: "%.1f ms (first %.0f)", page.medianMilliseconds, page.firstMilliseconds),
                    String(format: "/healthz %.2f ms", d.healthzMilliseconds), times(page.medianMilliseconds / max(d.healthzMilliseconds, 0.001)),
                    "< 100 ms")
            }
        }
        if let x = f.files {
            let size = Int64(x.bytes).bytesText
            add("file \(size) up, field → central", String(format: "%.0f MiB/s", x.uploadMebibytesPerSecond),
                x.nginxUploadMebibytesPerSecond.map { String(format: "curl PUT nginx %.0f MiB/s", $0) } ?? "nginx: apt-get install nginx-light",
                x.nginxUploadMebibytesPerSecond.map { times(x.uploadMebibytesPerSecond / $0) } ?? "", "≥ 0.5×")
            add("file \(size) down, central → field", String(format: "%.0f MiB/s", x.downloadMebibytesPerSecond),
                x.nginxDownloadMebibytesPerSecond.map { String(format: "curl GET nginx %.0f MiB/s", $0) } ?? "",
                x.nginxDownloadMebibytesPerSecond.map { times(x.downloadMebibytesPerSecond / $0) } ?? "", "≥ 0.5×")
        }
        if let load = f.load {
            let l = load.rounds
            let ceiling = f.httpCeiling
            add("central: \(l.devices) devices × \(l.roundsPerDevice) rounds", String(format: "%.0f rounds/s", l.roundsPerSecond),
                ceiling.map { "nginx static " + rate($0.nginxRequestsPerSecond) } ?? "nginx: give --peers",
                ceiling.map { times(l.roundsPerSecond / $0.nginxRequestsPerSecond) } ?? "", "≥ 5,000 rounds/s")
            add("  round latency p50 / p99", String(format: "%.1f / %.1f ms", l.p50Milliseconds, l.p99Milliseconds),
                ceiling.map { String(format: "nginx p99 %.1f ms", $0.nginxP99Milliseconds) } ?? "", "", "p99 < 50 ms")
            add("  a device catching up \(load.catchUpChanges) changes meanwhile", String(format: "%d pulls, p99 %.0f ms", load.catchUpPulls, load.catchUpP99Milliseconds),
                "", "", "p99 < 2 s")
        }
        if let separated = f.separatedLoad {
            let s = separated.rounds
            add("central alone on CPU 0, \(s.devices) devices on CPU 1", String(format: "%.0f rounds/s", s.roundsPerSecond),
                f.load.map { String(format: "both on 2 CPUs %.0f", $0.rounds.roundsPerSecond) } ?? "",
                f.load.map { times(s.roundsPerSecond / $0.rounds.roundsPerSecond) } ?? "", "")
            add("  round latency p50 / p99", String(format: "%.1f / %.1f ms", s.p50Milliseconds, s.p99Milliseconds), "", "", "")
            add("  CPU busy: central / devices", String(format: "%.0f %% / %.0f %%", separated.serverCPUBusy * 100, separated.devicesCPUBusy * 100), "", "", "")
        }
    }


    /// One row a central's size, each against the first: the round must follow the change, not the size.
    private mutating func addIncremental(_ points: [(reports: Int, milliseconds: Double)], store: String) {
        guard let first = points.first else { return }
        for point in points {
            add(
                "100-change sync into \(point.reports) reports\(store)", String(format: "%.1f ms", point.milliseconds),
                "into \(first.reports): " + String(format: "%.1f ms", first.milliseconds), times(point.milliseconds / first.milliseconds),
                "≤ 1.5× at 1M")
        }
    }
    private mutating func add(_ figure: String, _ value: String, _ anchor: String, _ ratio: String, _ goal: String) {
        rows.append([figure, value, anchor, ratio, goal])
    }

    func render() -> String {
        let all = [["FIGURE", "VALUE", "ANCHOR (SAME RUN)", "RATIO", "GOAL"]] + rows
        var widths = [Int](repeating: 0, count: 5)
        for row in all {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return all.map { row in
            row.enumerated().map { i, cell in i == 4 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }

    private func rate(_ perSecond: Double) -> String {
        perSecond >= 10_000 ? String(format: "%.0fk/s", perSecond / 1000) : String(format: "%.0f/s", perSecond)
    }

    private func times(_ ratio: Double) -> String { String(format: "%.2f×", ratio) }

    /// Rounds a second with the p99 of a round.
    private func rounds(_ r: LoadBenchmark.Rounds) -> String { String(format: "%.0f rounds/s, p99 %.0f ms", r.roundsPerSecond, r.p99Milliseconds) }
}
