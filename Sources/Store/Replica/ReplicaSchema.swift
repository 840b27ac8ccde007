import GRDB
import SyncCore

/// The replica's schema as named, append-only migrations: never edit one that has shipped; add a new one.
enum ReplicaSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-replica") { db in
            try db.execute(
                sql: """
                    CREATE TABLE replica_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;

                    -- Reference data, each row the winning value of its last-writer-wins record.
                    CREATE TABLE units (
                        id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, parent TEXT);
                    CREATE TABLE members (
                        id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL,
                        role TEXT NOT NULL, phone TEXT);
                    -- For each reference record (unit/ID, member/ID, policy): the change that holds its value.
                    CREATE TABLE reference_versions (
                        record TEXT PRIMARY KEY NOT NULL, hlc INTEGER NOT NULL, replica TEXT NOT NULL,
                        counter INTEGER NOT NULL, digest TEXT NOT NULL) WITHOUT ROWID;

                    -- Reports: the merged record (every write it received) and columns derived from it for queries.
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
                        follow_up_of TEXT,
                        record TEXT NOT NULL,
                        digest TEXT NOT NULL);
                    CREATE INDEX reports_by_state ON reports(state, updated_at);
                    CREATE INDEX reports_by_unit ON reports(unit, updated_at);
                    CREATE INDEX reports_by_follow_up ON reports(follow_up_of) WHERE follow_up_of IS NOT NULL;

                    -- Every change this replica holds, made here or received, in the order it was applied.
                    CREATE TABLE changes (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        replica TEXT NOT NULL,
                        counter INTEGER NOT NULL,
                        record TEXT NOT NULL,
                        unit TEXT NOT NULL,
                        origin TEXT NOT NULL,
                        body TEXT NOT NULL,
                        UNIQUE (replica, counter));

                    -- Received changes waiting for the writes they depend on; never dropped.
                    CREATE TABLE pending_changes (
                        replica TEXT NOT NULL,
                        counter INTEGER NOT NULL,
                        record TEXT NOT NULL,
                        waits_for TEXT NOT NULL,
                        body TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        PRIMARY KEY (replica, counter)) WITHOUT ROWID;
                    CREATE INDEX pending_by_wait ON pending_changes(waits_for);

                    -- Received changes this replica refused, with the reason; kept to be shown.
                    CREATE TABLE rejected_changes (
                        replica TEXT NOT NULL,
                        counter INTEGER NOT NULL,
                        record TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        body TEXT NOT NULL,
                        rejected_at INTEGER NOT NULL,
                        PRIMARY KEY (replica, counter)) WITHOUT ROWID;

                    -- Conflicts, derived from each report's writes and replaced whenever the report changes.
                    CREATE TABLE conflicts (
                        id TEXT PRIMARY KEY NOT NULL,
                        report_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,
                        hlc INTEGER NOT NULL,
                        body TEXT NOT NULL);
                    CREATE INDEX conflicts_by_report ON conflicts(report_id);
                    CREATE INDEX conflicts_by_status ON conflicts(status, hlc);
                    """)
            // The change log is evidence (DOMAIN.md "The approval workflow"): it is never rewritten.
            try db.execute(
                sql: """
                    CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes
                    BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
                    CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes
                    BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
                    """)
        }
        migrator.registerMigration("v2-sync") { db in
            try db.execute(
                sql: """
                    -- Field devices enrolled at the central replica: only the SHA-256 of each token is kept.
                    CREATE TABLE enrollments (
                        token_hash TEXT PRIMARY KEY NOT NULL,
                        unit TEXT NOT NULL,
                        device TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER,
                        last_seen_at INTEGER);
                    CREATE INDEX enrollments_by_device ON enrollments(device);

                    -- Local changes the central refused, with its reason: shown until someone acts on them.
                    CREATE TABLE push_rejections (
                        replica TEXT NOT NULL,
                        counter INTEGER NOT NULL,
                        record TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        rejected_at INTEGER NOT NULL,
                        PRIMARY KEY (replica, counter)) WITHOUT ROWID;

                    -- The central feed in one unit's scope: pulls read (unit, seq) ranges.
                    CREATE INDEX changes_by_unit ON changes(unit, seq);
                    """)
        }
        migrator.registerMigration("v3-conflict-handles") { db in
            try db.execute(
                sql: """
                    -- Conflicts by their short handle (Conflict.shortID) and by unit, for report-cli conflicts.
                    ALTER TABLE conflicts ADD COLUMN short_id TEXT NOT NULL DEFAULT '';
                    ALTER TABLE conflicts ADD COLUMN unit TEXT NOT NULL DEFAULT '';
                    UPDATE conflicts SET unit = COALESCE((SELECT unit FROM reports WHERE reports.id = conflicts.report_id), '');
                    CREATE INDEX conflicts_by_short_id ON conflicts(short_id);
                    CREATE INDEX conflicts_by_unit ON conflicts(unit, hlc);

                    -- Refusals a person has looked at and dismissed (report-cli conflicts resolve --keep winner).
                    ALTER TABLE push_rejections ADD COLUMN dismissed_by TEXT;
                    ALTER TABLE push_rejections ADD COLUMN dismissed_at INTEGER;
                    ALTER TABLE rejected_changes ADD COLUMN dismissed_by TEXT;
                    ALTER TABLE rejected_changes ADD COLUMN dismissed_at INTEGER;
                    """)
            for id in try String.fetchAll(db, sql: "SELECT id FROM conflicts") {
                try db.execute(sql: "UPDATE conflicts SET short_id = ? WHERE id = ?", arguments: [Conflict.shortID(of: id), id])
            }
        }
        migrator.registerMigration("v4-office") { db in
            try db.execute(
                sql: """
                    -- Solicitations (约稿), one row per target unit: the winning value of each record.
                    CREATE TABLE solicitations (
                        id TEXT NOT NULL, unit TEXT NOT NULL, deadline INTEGER NOT NULL, body TEXT NOT NULL,
                        PRIMARY KEY (id, unit)) WITHOUT ROWID;
                    CREATE INDEX solicitations_by_deadline ON solicitations(deadline);
                    """)
        }
        migrator.registerMigration("v5-outbox") { db in
            try db.execute(
                sql: """
                    -- A field replica's local changes the central has not answered for, by local sequence.
                    CREATE TABLE outbox (
                        seq INTEGER PRIMARY KEY NOT NULL, replica TEXT NOT NULL, counter INTEGER NOT NULL, record TEXT NOT NULL);
                    CREATE INDEX outbox_by_record ON outbox(record);
                    """)
            // A field file from before the outbox: what its push cursor had not passed, and every local
            // change of a report that was ever made secret here (the old cursor skipped those for good;
            // the central answers the ones it has as duplicates).
            guard try String.fetchOne(db, sql: "SELECT value FROM replica_meta WHERE key = 'replica_role'") == "field" else { return }
            let cursor = Int64(try String.fetchOne(db, sql: "SELECT value FROM replica_meta WHERE key = 'push_cursor'") ?? "0") ?? 0
            try db.execute(
                sql: """
                    INSERT INTO outbox(seq, replica, counter, record)
                    SELECT c.seq, c.replica, c.counter, c.record FROM changes c LEFT JOIN reports r ON r.id = c.record
                    WHERE c.origin = 'local' AND (r.id IS NOT NULL OR c.record LIKE 'solicitation/%')
                      AND (c.seq > ? OR c.record IN (
                          SELECT record FROM changes WHERE origin = 'local'
                            AND json_extract(body, '$.payload.content.fields.classification') = '"secret"'))
                    """,
                arguments: [cursor])
            try db.execute(sql: "DELETE FROM replica_meta WHERE key = 'push_cursor'")
        }
        migrator.registerMigration("v6-boundary") { db in
            try db.execute(
                sql: """
                    -- What kind of record each change writes (RecordKind), decided by its payload, never by
                    -- the look of its record id: the feed sends units, members and policy to every unit.
                    DROP TRIGGER changes_no_update;
                    ALTER TABLE changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'report';
                    UPDATE changes SET kind = json_extract(body, '$.payload.type')
                        WHERE json_extract(body, '$.payload.type') IN ('unit', 'member', 'policy', 'solicitation');
                    CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes
                    BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
                    CREATE INDEX changes_shared ON changes(kind, seq) WHERE kind IN ('unit', 'member', 'policy');

                    -- The central's binding of replica ids to enrolled devices (DeviceBinding): a device
                    -- pushes only changes whose dots name one of its own replicas.
                    CREATE TABLE device_replicas (
                        replica TEXT PRIMARY KEY NOT NULL, device TEXT NOT NULL, bound_at INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE INDEX device_replicas_by_device ON device_replicas(device);
                    """)
        }
        migrator.registerMigration("v7-signing") { db in
            try db.execute(
                sql: """
                    -- Registered public signing keys (SigningKey), reference data on every replica.
                    CREATE TABLE signing_keys (
                        id TEXT PRIMARY KEY NOT NULL, member TEXT NOT NULL, public_key TEXT NOT NULL,
                        revoked_at INTEGER, body TEXT NOT NULL) WITHOUT ROWID;
                    CREATE INDEX signing_keys_by_member ON signing_keys(member);

                    -- The private keys set up on this device, sealed under their owner's PIN (SealedKey),
                    -- with the count of wrong PINs in a row and when the next try is allowed.
                    CREATE TABLE private_keys (
                        id TEXT PRIMARY KEY NOT NULL, member TEXT NOT NULL, salt BLOB NOT NULL, cost TEXT NOT NULL,
                        box BLOB NOT NULL, created_at INTEGER NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
                        retry_at INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
                    CREATE INDEX private_keys_by_member ON private_keys(member);

                    -- The central's open one-time codes for registering a key (InviteCode): the secret derived from each
                    -- code, which keys the proof a device sends (the code itself is shown once, never kept).
                    CREATE TABLE key_invites (
                        secret BLOB PRIMARY KEY NOT NULL, member TEXT NOT NULL, created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL, redeemed_key TEXT) WITHOUT ROWID;

                    -- Signing keys go to every replica with units, members and policy.
                    DROP INDEX changes_shared;
                    CREATE INDEX changes_shared ON changes(kind, seq) WHERE kind IN ('unit', 'member', 'policy', 'signing-key');
                    """)
        }
        migrator.registerMigration("v8-unit-since") { db in
            // When a unit was set up (OrgUnit.since): it owes no periodic report for the time before.
            try db.execute(sql: "ALTER TABLE units ADD COLUMN since TEXT")
        }
        migrator.registerMigration("v9-policy-versions") { db in
            // Every version of the policy, by the local day it takes effect ('' for the version from before
            // policies had history, in force from the start): past periods are scored with the version
            // in force then (Replica+Policy).
            try db.execute(
                sql: """
                    CREATE TABLE policy_versions (effective_from TEXT PRIMARY KEY NOT NULL, body TEXT NOT NULL) WITHOUT ROWID;
                    INSERT INTO policy_versions(effective_from, body)
                        SELECT '', value FROM replica_meta WHERE key = 'policy';
                    DELETE FROM replica_meta WHERE key = 'policy';
                    """)
        }
        migrator.registerMigration("v10-registration-numbers") { db in
            // The central's last registration number of each bureau year (RegistrationNumbers).
            try db.execute(sql: "CREATE TABLE registrations (year INTEGER PRIMARY KEY NOT NULL, last INTEGER NOT NULL)")
        }
        migrator.registerMigration("v11-bundles") { db in
            try db.execute(
                sql: """
                    -- Bundle files this replica imported, by the id in their header: one is never imported twice.
                    CREATE TABLE imported_bundles (
                        id TEXT PRIMARY KEY NOT NULL, sender TEXT NOT NULL, changes INTEGER NOT NULL,
                        imported_at INTEGER NOT NULL) WITHOUT ROWID;

                    -- The central's record of each enrolment's bundle keys, bound at the device's first sync
                    -- round (or by its first bundle), and the pull cursor the device named in its last
                    -- bundle (where the next bundle to the unit starts).
                    CREATE TABLE bundle_devices (
                        token_hash TEXT PRIMARY KEY NOT NULL, agreement TEXT NOT NULL, signing TEXT NOT NULL,
                        cursor INTEGER NOT NULL, bound_at INTEGER NOT NULL) WITHOUT ROWID;

                    -- The central sequence at which a report kept off the network here came back on it
                    -- (Declassifications): the feed then gives readers past its earlier changes those too.
                    CREATE TABLE declassifications (
                        record TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (record, seq)) WITHOUT ROWID;
                    CREATE INDEX declassifications_by_seq ON declassifications(seq);

                    -- The strictest classification among a report's standing values (ReportRecord.guardedClassification):
                    -- what the outbox, the network feed and the central's checks judge secrecy by.
                    ALTER TABLE reports ADD COLUMN classification TEXT NOT NULL DEFAULT 'public';
                    """)
            // Filled as a save fills it: from each merged record, every standing value counted.
            let records = try Row.fetchAll(db, sql: "SELECT id, record FROM reports")
            for row in records {
                let record = try JSONCoding.value(ReportRecord.self, from: row["record"])
                try db.execute(
                    sql: "UPDATE reports SET classification = ? WHERE id = ?",
                    arguments: [record.guardedClassification.rawValue, row["id"] as String])
            }
        }
        migrator.registerMigration("v12-desk") { db in
            try db.execute(
                sql: """
                    -- The web desk's sign-in (docs/desk.md): a central-office member's bcrypt password hash.
                    CREATE TABLE desk_passwords (
                        member TEXT PRIMARY KEY NOT NULL, hash TEXT NOT NULL, set_at INTEGER NOT NULL) WITHOUT ROWID;

                    -- Wrong sign-ins in a row by the name typed, whether or not a member has it (so the
                    -- lock-out does not tell which names exist), and when the next try may come (PINLockout).
                    CREATE TABLE desk_signin_tries (
                        name TEXT PRIMARY KEY NOT NULL, failures INTEGER NOT NULL, retry_at INTEGER NOT NULL,
                        tried_at INTEGER NOT NULL) WITHOUT ROWID;

                    -- The desk's server-side sessions, by the SHA-256 of the cookie's session id (a copied
                    -- file gives no session away), with their JSON and when they end.
                    CREATE TABLE desk_sessions (
                        key_hash TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, expires_at INTEGER) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v13-reissued") { db in
            try db.execute(
                sql: """
                    -- Changes an older copy of this field's file wrote under dots the central already held
                    -- for other changes (a backup put back with its machine), moved out of the log when they
                    -- were written again under a new replica id (`TakenDotReissue`); kept to be inspected.
                    CREATE TABLE reissued_changes (
                        replica TEXT NOT NULL,
                        counter INTEGER NOT NULL,
                        record TEXT NOT NULL,
                        body TEXT NOT NULL,
                        new_replica TEXT,
                        new_counter INTEGER,
                        reissued_at INTEGER NOT NULL,
                        PRIMARY KEY (replica, counter)) WITHOUT ROWID;

                    -- The log stays append-only, but for a change first kept in reissued_changes.
                    DROP TRIGGER changes_no_delete;
                    CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes
                    WHEN NOT EXISTS (
                        SELECT 1 FROM reissued_changes r WHERE r.replica = OLD.replica AND r.counter = OLD.counter AND r.body = OLD.body)
                    BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
                    """)
        }
        migrator.registerMigration("v14-classification-index") { db in
            // The reports kept off the network, found without reading every row (the web desk asks on every page).
            try db.execute(sql: "CREATE INDEX reports_by_classification ON reports(classification)")
        }
        migrator.registerMigration("v15-report-timeline") { db in
            // Each report's `ReportTimeline`, so that deadlines and scores read only the reports that can
            // bear on a period (`OfficeCandidates`). A row not filled in below spans all time: it is
            // always read, never missed.
            try db.execute(
                sql: """
                    ALTER TABLE reports ADD COLUMN sign_off_at INTEGER;
                    ALTER TABLE reports ADD COLUMN approved_at INTEGER;
                    ALTER TABLE reports ADD COLUMN received_at INTEGER;
                    ALTER TABLE reports ADD COLUMN earliest_at INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE reports ADD COLUMN latest_at INTEGER NOT NULL DEFAULT 253402300799999;
                    """)
            let rows = try Row.fetchCursor(db, sql: "SELECT id, content, record FROM reports")
            while let row = try rows.next() {
                guard let record = try? JSONCoding.value(ReportRecord.self, from: row["record"] as String) else { continue }
                try ReportRows.saveTimeline(ReportRows.timeline(of: record, content: row["content"]), of: row["id"], db)
            }
            try db.execute(
                sql: """
                    CREATE INDEX reports_by_latest ON reports(latest_at);
                    -- Reports some policy may count as not finished: drafts, and those sent without a receipt.
                    CREATE INDEX reports_unfinished ON reports(earliest_at)
                        WHERE approved_at IS NULL AND (received_at IS NULL OR sign_off_at IS NULL);
                    CREATE INDEX reports_by_solicitation ON reports(json_extract(content, '$.solicitation'))
                        WHERE json_extract(content, '$.solicitation') IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v16-device-pulls") { db in
            try db.execute(
                sql: """
                    -- How far each device's last pull reached (a central sequence), written at most every 30 s
                    -- (the serving process knows every pull): how far behind it is (`DevicePull`).
                    CREATE TABLE device_pulls (
                        device TEXT PRIMARY KEY NOT NULL, cursor INTEGER NOT NULL, pulled_at INTEGER NOT NULL) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v17-reminders") { db in
            // Reminders (催报) live in the log only (`Replica.reminders`): found without reading it all.
            try db.execute(sql: "CREATE INDEX changes_reminders ON changes(unit, seq) WHERE kind = 'reminder'")
        }
        migrator.registerMigration("v18-blobs") { db in
            try db.execute(
                sql: """
                    -- The files each report's attachments name, by content address (written with the report's
                    -- row, `ReportRows.save`): what a replica must fetch or send, and who may read a file.
                    CREATE TABLE attachment_refs (
                        report TEXT NOT NULL, hash TEXT NOT NULL, size INTEGER NOT NULL, media_type TEXT NOT NULL,
                        PRIMARY KEY (report, hash)) WITHOUT ROWID;
                    CREATE INDEX attachment_refs_by_hash ON attachment_refs(hash);
                    -- The files this replica holds whole in its blob store (`BlobStore`), and on a field
                    -- whether the central said it holds them too.
                    CREATE TABLE blobs (
                        hash TEXT PRIMARY KEY NOT NULL, size INTEGER NOT NULL, stored_at INTEGER NOT NULL,
                        at_central INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
                    -- At the central: which units' devices supplied each file's bytes, and how (network or
                    -- bundle). A file is served over the network only where a unit that sent it over the
                    -- network is in the reader's scope: naming a hash is not having the file.
                    CREATE TABLE blob_sources (
                        hash TEXT NOT NULL, unit TEXT NOT NULL, channel TEXT NOT NULL, PRIMARY KEY (hash, unit, channel)) WITHOUT ROWID;
                    """)
            // Attachments recorded before files travelled name no file: nothing to fill.
        }
        migrator.registerMigration("v19-withheld-text") { db in
            try db.execute(
                sql: """
                    -- A redaction (a report raised off the network) and the writes whose text it withheld here:
                    -- their bodies hold no report text, so the feed sends them even for a report kept off the
                    -- network, and the outbox lets a redaction go (`WithheldText`).
                    ALTER TABLE changes ADD COLUMN withheld INTEGER NOT NULL DEFAULT 0;
                    -- The log stays append-only, but for a body replaced once by its withheld copy.
                    DROP TRIGGER changes_no_update;
                    CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes
                    WHEN NOT (OLD.withheld = 0 AND NEW.withheld = 1 AND NEW.seq = OLD.seq AND NEW.replica = OLD.replica
                        AND NEW.counter = OLD.counter AND NEW.record = OLD.record AND NEW.unit = OLD.unit
                        AND NEW.origin = OLD.origin AND NEW.kind = OLD.kind)
                    BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
                    -- At the central: the text of withheld writes as the bundle of the device that raised the
                    -- report brought it (checked against the withheld copy in the log). Never sent anywhere.
                    CREATE TABLE withheld_originals (
                        replica TEXT NOT NULL, counter INTEGER NOT NULL, record TEXT NOT NULL, body TEXT NOT NULL,
                        PRIMARY KEY (replica, counter)) WITHOUT ROWID;
                    CREATE INDEX withheld_originals_by_record ON withheld_originals(record);
                    """)
        }
        return migrator
    }
}
