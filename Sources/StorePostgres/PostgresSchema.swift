/// A central's schema on PostgreSQL as named, append-only migrations (never edit one that has shipped;
/// add a new one), recorded in `schema_migrations`.
///
/// The tables are those of the SQLite replica (`Store`'s `ReplicaSchema`, every migration up to
/// `v19-withheld-text`) with PostgreSQL's types: `bigint` for integers, `text` for text, `bytea` for blobs. The
/// canonical JSON of changes and records stays `text`, byte for byte, since digests and signatures hash
/// it. A test holds the two schemas to the same tables and columns.
enum PostgresSchema {
    /// A migration: its name and its statements, run in one transaction.
    struct Migration: Sendable {
        let name: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(name: "v1-central", statements: [
            "CREATE TABLE replica_meta (key text PRIMARY KEY, value text NOT NULL)",
            // Reference data, each row the winning value of its last-writer-wins record.
            "CREATE TABLE units (id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, parent text, since text)",
            "CREATE TABLE members (id text PRIMARY KEY, name text NOT NULL, unit text NOT NULL, role text NOT NULL, phone text)",
            """
            CREATE TABLE reference_versions (
                record text PRIMARY KEY, hlc bigint NOT NULL, replica text NOT NULL, counter bigint NOT NULL, digest text NOT NULL)
            """,
            // Reports: the merged record and the columns derived from it for queries.
            """
            CREATE TABLE reports (
                id text PRIMARY KEY, unit text NOT NULL, category text NOT NULL, title text NOT NULL,
                state text NOT NULL, drafter text NOT NULL, version bigint NOT NULL, content text NOT NULL,
                content_replica text NOT NULL, content_counter bigint NOT NULL, created_at bigint NOT NULL,
                updated_at bigint NOT NULL, last_comment text, follow_up_of text, record text NOT NULL,
                digest text NOT NULL, classification text NOT NULL DEFAULT 'public',
                sign_off_at bigint, approved_at bigint, received_at bigint,
                earliest_at bigint NOT NULL DEFAULT 0, latest_at bigint NOT NULL DEFAULT 253402300799999)
            """,
            "CREATE INDEX reports_by_state ON reports (state, updated_at)",
            "CREATE INDEX reports_by_unit ON reports (unit, updated_at)",
            "CREATE INDEX reports_by_follow_up ON reports (follow_up_of) WHERE follow_up_of IS NOT NULL",
            "CREATE INDEX reports_by_classification ON reports (classification)",
            "CREATE INDEX reports_by_latest ON reports (latest_at)",
            """
            CREATE INDEX reports_unfinished ON reports (earliest_at)
                WHERE approved_at IS NULL AND (received_at IS NULL OR sign_off_at IS NULL)
            """,
            // The change log, in the order it was applied; `seq` is the central's feed sequence.
            """
            CREATE TABLE changes (
                seq bigint PRIMARY KEY, replica text NOT NULL, counter bigint NOT NULL, record text NOT NULL,
                unit text NOT NULL, origin text NOT NULL, body text NOT NULL, kind text NOT NULL DEFAULT 'report',
                UNIQUE (replica, counter))
            """,
            "CREATE INDEX changes_by_unit ON changes (unit, seq)",
            "CREATE INDEX changes_shared ON changes (kind, seq) WHERE kind IN ('unit', 'member', 'policy', 'signing-key')",
            "CREATE INDEX changes_reminders ON changes (unit, seq) WHERE kind = 'reminder'",
            // The feed's last sequence, one row: a writer that logs changes takes its sequences by
            // updating it, which holds the row's lock to its commit (docs/postgres.md, "Several servers").
            "CREATE TABLE feed_head (one boolean PRIMARY KEY DEFAULT true CHECK (one), seq bigint NOT NULL)",
            "INSERT INTO feed_head (one, seq) VALUES (true, 0)",
            """
            CREATE TABLE pending_changes (
                replica text NOT NULL, counter bigint NOT NULL, record text NOT NULL, waits_for text NOT NULL,
                body text NOT NULL, received_at bigint NOT NULL, PRIMARY KEY (replica, counter))
            """,
            "CREATE INDEX pending_by_wait ON pending_changes (waits_for)",
            """
            CREATE TABLE rejected_changes (
                replica text NOT NULL, counter bigint NOT NULL, record text NOT NULL, reason text NOT NULL,
                body text NOT NULL, rejected_at bigint NOT NULL, dismissed_by text, dismissed_at bigint,
                PRIMARY KEY (replica, counter))
            """,
            """
            CREATE TABLE conflicts (
                id text PRIMARY KEY, report_id text NOT NULL, kind text NOT NULL, status text NOT NULL,
                hlc bigint NOT NULL, body text NOT NULL, short_id text NOT NULL DEFAULT '', unit text NOT NULL DEFAULT '')
            """,
            "CREATE INDEX conflicts_by_report ON conflicts (report_id)",
            "CREATE INDEX conflicts_by_status ON conflicts (status, hlc)",
            "CREATE INDEX conflicts_by_short_id ON conflicts (short_id)",
            "CREATE INDEX conflicts_by_unit ON conflicts (unit, hlc)",
            """
            CREATE TABLE enrollments (
                token_hash text PRIMARY KEY, unit text NOT NULL, device text NOT NULL, created_at bigint NOT NULL,
                revoked_at bigint, last_seen_at bigint)
            """,
            "CREATE INDEX enrollments_by_device ON enrollments (device)",
            """
            CREATE TABLE push_rejections (
                replica text NOT NULL, counter bigint NOT NULL, record text NOT NULL, reason text NOT NULL,
                rejected_at bigint NOT NULL, dismissed_by text, dismissed_at bigint, PRIMARY KEY (replica, counter))
            """,
            """
            CREATE TABLE solicitations (
                id text NOT NULL, unit text NOT NULL, deadline bigint NOT NULL, body text NOT NULL, PRIMARY KEY (id, unit))
            """,
            "CREATE INDEX solicitations_by_deadline ON solicitations (deadline)",
            "CREATE TABLE outbox (seq bigint PRIMARY KEY, replica text NOT NULL, counter bigint NOT NULL, record text NOT NULL)",
            "CREATE INDEX outbox_by_record ON outbox (record)",
            "CREATE TABLE device_replicas (replica text PRIMARY KEY, device text NOT NULL, bound_at bigint NOT NULL)",
            "CREATE INDEX device_replicas_by_device ON device_replicas (device)",
            """
            CREATE TABLE signing_keys (
                id text PRIMARY KEY, member text NOT NULL, public_key text NOT NULL, revoked_at bigint, body text NOT NULL)
            """,
            "CREATE INDEX signing_keys_by_member ON signing_keys (member)",
            """
            CREATE TABLE private_keys (
                id text PRIMARY KEY, member text NOT NULL, salt bytea NOT NULL, cost text NOT NULL, box bytea NOT NULL,
                created_at bigint NOT NULL, failures bigint NOT NULL DEFAULT 0, retry_at bigint NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX private_keys_by_member ON private_keys (member)",
            """
            CREATE TABLE key_invites (
                secret bytea PRIMARY KEY, member text NOT NULL, created_at bigint NOT NULL, expires_at bigint NOT NULL,
                redeemed_key text)
            """,
            "CREATE TABLE policy_versions (effective_from text PRIMARY KEY, body text NOT NULL)",
            "CREATE TABLE registrations (year bigint PRIMARY KEY, last bigint NOT NULL)",
            """
            CREATE TABLE imported_bundles (
                id text PRIMARY KEY, sender text NOT NULL, changes bigint NOT NULL, imported_at bigint NOT NULL)
            """,
            """
            CREATE TABLE bundle_devices (
                token_hash text PRIMARY KEY, agreement text NOT NULL, signing text NOT NULL, cursor bigint NOT NULL,
                bound_at bigint NOT NULL)
            """,
            "CREATE TABLE declassifications (record text NOT NULL, seq bigint NOT NULL, PRIMARY KEY (record, seq))",
            "CREATE INDEX declassifications_by_seq ON declassifications (seq)",
            "CREATE TABLE desk_passwords (member text PRIMARY KEY, hash text NOT NULL, set_at bigint NOT NULL)",
            """
            CREATE TABLE desk_signin_tries (
                name text PRIMARY KEY, failures bigint NOT NULL, retry_at bigint NOT NULL, tried_at bigint NOT NULL)
            """,
            "CREATE TABLE desk_sessions (key_hash text PRIMARY KEY, value text NOT NULL, expires_at bigint)",
            """
            CREATE TABLE reissued_changes (
                replica text NOT NULL, counter bigint NOT NULL, record text NOT NULL, body text NOT NULL,
                new_replica text, new_counter bigint, reissued_at bigint NOT NULL, PRIMARY KEY (replica, counter))
            """,
            "CREATE TABLE device_pulls (device text PRIMARY KEY, cursor bigint NOT NULL, pulled_at bigint NOT NULL)",
            """
            CREATE TABLE attachment_refs (
                report text NOT NULL, hash text NOT NULL, size bigint NOT NULL, media_type text NOT NULL,
                PRIMARY KEY (report, hash))
            """,
            "CREATE INDEX attachment_refs_by_hash ON attachment_refs (hash)",
            """
            CREATE TABLE blobs (
                hash text PRIMARY KEY, size bigint NOT NULL, stored_at bigint NOT NULL, at_central bigint NOT NULL DEFAULT 0)
            """,
            "CREATE TABLE blob_sources (hash text NOT NULL, unit text NOT NULL, channel text NOT NULL, PRIMARY KEY (hash, unit, channel))",
            // The change log is evidence (DOMAIN.md "The approval workflow"): never rewritten, and a row
            // leaves it only after it was kept in reissued_changes (as on SQLite).
            """
            CREATE FUNCTION changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND EXISTS (
                    SELECT 1 FROM reissued_changes r
                    WHERE r.replica = OLD.replica AND r.counter = OLD.counter AND r.body = OLD.body) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION 'changes is append-only';
            END $$
            """,
            "CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes FOR EACH ROW EXECUTE FUNCTION changes_append_only()",
            "CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes FOR EACH ROW EXECUTE FUNCTION changes_append_only()",
        ]),
        // As SQLite's `v19-withheld-text`: redactions and the writes whose text they withheld (`WithheldText`).
        Migration(name: "v2-withheld-text", statements: [
            "ALTER TABLE changes ADD COLUMN withheld bigint NOT NULL DEFAULT 0",
            """
            CREATE TABLE withheld_originals (
                replica text NOT NULL, counter bigint NOT NULL, record text NOT NULL, body text NOT NULL, PRIMARY KEY (replica, counter))
            """,
            "CREATE INDEX withheld_originals_by_record ON withheld_originals (record)",
            // The log stays append-only, but for a body replaced once by its withheld copy.
            """
            CREATE OR REPLACE FUNCTION changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND EXISTS (
                    SELECT 1 FROM reissued_changes r
                    WHERE r.replica = OLD.replica AND r.counter = OLD.counter AND r.body = OLD.body) THEN
                    RETURN OLD;
                END IF;
                IF TG_OP = 'UPDATE' AND OLD.withheld = 0 AND NEW.withheld = 1 AND NEW.seq = OLD.seq
                    AND NEW.replica = OLD.replica AND NEW.counter = OLD.counter AND NEW.record = OLD.record
                    AND NEW.unit = OLD.unit AND NEW.origin = OLD.origin AND NEW.kind = OLD.kind THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'changes is append-only';
            END $$
            """,
        ]),
    ]
}
