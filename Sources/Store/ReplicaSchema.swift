import GRDB

/// The replica's schema as named, append-only migrations: never edit one that has shipped; add a new one.
enum ReplicaSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-replica") { db in
            try db.execute(
                sql: """
                    CREATE TABLE replica_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;

                    CREATE TABLE units (
                        id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, parent TEXT);

                    CREATE TABLE members (
                        id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL,
                        unit TEXT NOT NULL REFERENCES units(id), role TEXT NOT NULL, phone TEXT);

                    CREATE TABLE reports (
                        id TEXT PRIMARY KEY NOT NULL,
                        unit TEXT NOT NULL,
                        category TEXT NOT NULL,
                        title TEXT NOT NULL,
                        state TEXT NOT NULL,
                        drafter TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        content TEXT NOT NULL,
                        content_replica TEXT NOT NULL,
                        content_counter INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        last_comment TEXT,
                        follow_up_of TEXT);
                    CREATE INDEX reports_by_state ON reports(state, updated_at);
                    CREATE INDEX reports_by_follow_up ON reports(follow_up_of) WHERE follow_up_of IS NOT NULL;

                    CREATE TABLE report_versions (
                        report_id TEXT NOT NULL REFERENCES reports(id),
                        version INTEGER NOT NULL,
                        body TEXT NOT NULL,
                        replica TEXT NOT NULL,
                        counter INTEGER NOT NULL,
                        hlc INTEGER NOT NULL,
                        PRIMARY KEY (report_id, version)) WITHOUT ROWID;

                    CREATE TABLE transitions (
                        id TEXT PRIMARY KEY NOT NULL,
                        report_id TEXT NOT NULL REFERENCES reports(id),
                        body TEXT NOT NULL,
                        replica TEXT NOT NULL,
                        counter INTEGER NOT NULL,
                        hlc INTEGER NOT NULL);
                    CREATE INDEX transitions_by_report ON transitions(report_id, hlc);

                    -- The local change log: every write, in order; sync pushes from here.
                    CREATE TABLE changes (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        replica TEXT NOT NULL,
                        counter INTEGER NOT NULL,
                        hlc INTEGER NOT NULL,
                        entity TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        body TEXT NOT NULL,
                        UNIQUE (replica, counter));
                    """)
            // History is evidence (DOMAIN.md "The approval workflow"): it is never rewritten.
            for table in ["report_versions", "transitions", "changes"] {
                try db.execute(
                    sql: """
                        CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                        BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END;
                        CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                        BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END;
                        """)
            }
        }
        return migrator
    }
}
