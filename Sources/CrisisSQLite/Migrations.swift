import CrisisCore
import GRDB

/// The schema, as named migrations. A migration is never edited once it has shipped: add a new one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: crises, clocks, pages, journal") { db in
            try db.execute(
                sql: """
                    CREATE TABLE crisis (
                        id INTEGER PRIMARY KEY,
                        reference TEXT NOT NULL UNIQUE,
                        category TEXT NOT NULL,
                        site TEXT NOT NULL,
                        callback TEXT NOT NULL,
                        requester_role TEXT NOT NULL,
                        source TEXT NOT NULL,
                        is_group INTEGER NOT NULL,
                        people INTEGER,
                        drill INTEGER NOT NULL,
                        received_at DATETIME NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
                        acknowledged_at DATETIME,
                        acknowledged_by TEXT,
                        resolved_at DATETIME,
                        -- Escalation progress: the step paged last, the pass, and when the next step is due.
                        escalation_step INTEGER NOT NULL DEFAULT 0,
                        escalation_round INTEGER NOT NULL DEFAULT 0,
                        next_escalation_at DATETIME,
                        escalation_exhausted INTEGER NOT NULL DEFAULT 0,
                        assigned TEXT NOT NULL,
                        no_one_on_duty INTEGER NOT NULL,
                        idempotency_key TEXT,
                        -- What the keyed request said, so a key reused for another crisis is refused.
                        idempotency_fingerprint TEXT,
                        UNIQUE (source, idempotency_key)
                    );

                    -- Personal data lives apart, so that it can be restricted and erased on a schedule
                    -- while the anonymous facts of the crisis stay.
                    CREATE TABLE crisis_personal (
                        crisis_id INTEGER PRIMARY KEY REFERENCES crisis(id),
                        requester_name TEXT,
                        note TEXT,
                        outcome TEXT
                    );

                    CREATE TABLE clock (
                        crisis_id INTEGER NOT NULL REFERENCES crisis(id),
                        kind TEXT NOT NULL,
                        started_at DATETIME NOT NULL,
                        due_at DATETIME NOT NULL,
                        warn_at DATETIME,
                        warned_at DATETIME,
                        outcome TEXT CHECK (outcome IN ('met', 'waived', 'breached')),
                        ended_at DATETIME,
                        ended_by TEXT,
                        reason TEXT,
                        PRIMARY KEY (crisis_id, kind)
                    );
                    CREATE INDEX clock_running_due ON clock (due_at) WHERE outcome IS NULL;
                    CREATE INDEX clock_running_warn ON clock (warn_at) WHERE outcome IS NULL AND warned_at IS NULL;
                    CREATE INDEX crisis_next_escalation ON crisis (next_escalation_at) WHERE next_escalation_at IS NOT NULL;

                    -- Milestones as facts with times, for the clocks and for reports.
                    CREATE TABLE milestone (
                        id INTEGER PRIMARY KEY,
                        crisis_id INTEGER NOT NULL REFERENCES crisis(id),
                        kind TEXT NOT NULL,
                        at DATETIME NOT NULL,
                        recorded_at DATETIME NOT NULL,
                        by TEXT NOT NULL,
                        to_person TEXT,
                        reason TEXT
                    );
                    CREATE INDEX milestone_crisis ON milestone (crisis_id, id);

                    -- The outbox: a page is a row before it is a request.
                    CREATE TABLE page (
                        id INTEGER PRIMARY KEY,
                        crisis_id INTEGER NOT NULL REFERENCES crisis(id),
                        person TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        step INTEGER NOT NULL,
                        kind TEXT NOT NULL DEFAULT 'crisis' CHECK (kind IN ('crisis', 'warning', 'breach', 'exhausted')),
                        clock TEXT,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at DATETIME,
                        last_error TEXT,
                        created_at DATETIME NOT NULL
                    );
                    CREATE INDEX page_due ON page (next_attempt_at) WHERE status = 'pending';
                    CREATE INDEX page_crisis ON page (crisis_id);

                    -- Cover and swaps written with `crisisctl rota cover`; removed ones are kept, marked.
                    CREATE TABLE rota_override (
                        id INTEGER PRIMARY KEY,
                        target TEXT NOT NULL,
                        person TEXT NOT NULL,
                        from_at DATETIME NOT NULL,
                        to_at DATETIME NOT NULL CHECK (to_at > from_at),
                        created_at DATETIME NOT NULL,
                        created_by TEXT NOT NULL,
                        removed_at DATETIME,
                        removed_by TEXT
                    );

                    CREATE TABLE journal (
                        id INTEGER PRIMARY KEY,
                        at DATETIME NOT NULL,
                        reference TEXT,
                        kind TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        data TEXT NOT NULL
                    );
                    CREATE INDEX journal_reference ON journal (reference, id);
                    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                    """)
        }
        migrator.registerMigration("v2: each crisis's next deadline, indexed") { db in
            // From v2 on, the store writes this column from the core's rule in every transaction
            // that changes a crisis. Rows written before are filled here by the rule as it stood
            // in v1: the next step of an open crisis, and running clocks' warnings and deadlines.
            try db.execute(
                sql: """
                    ALTER TABLE crisis ADD COLUMN next_deadline_at DATETIME;
                    UPDATE crisis SET next_deadline_at = (
                        SELECT MIN(at) FROM (
                            SELECT next_escalation_at AS at WHERE status = 'open' AND escalation_exhausted = 0
                            UNION ALL
                            SELECT due_at FROM clock WHERE clock.crisis_id = crisis.id AND outcome IS NULL
                            UNION ALL
                            SELECT warn_at FROM clock WHERE clock.crisis_id = crisis.id AND outcome IS NULL AND warned_at IS NULL
                        )
                    ) WHERE status != 'resolved';
                    CREATE INDEX crisis_next_deadline ON crisis (next_deadline_at) WHERE next_deadline_at IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v3: clocks as rules") { db in
            // A clock keeps its rule's label and what stops it from when it started, and a
            // `waive` milestone the clock it names. Clocks written before were the three the defaults
            // still describe, under the same names.
            try db.execute(
                sql: """
                    ALTER TABLE clock ADD COLUMN label TEXT;
                    ALTER TABLE clock ADD COLUMN stops TEXT;
                    ALTER TABLE milestone ADD COLUMN clock TEXT;
                    """)
            for rule in ClockPolicy().rules {
                try db.execute(
                    sql: "UPDATE clock SET label = ?, stops = ? WHERE kind = ? AND stops IS NULL",
                    arguments: [rule.label, rule.stop.rawValue, rule.name.rawValue])
            }
        }
        migrator.registerMigration("v4: acknowledgement links") { db in
            // A link's token is never stored, only its SHA-256.
            try db.execute(
                sql: """
                    CREATE TABLE ack_link (
                        token_sha256 TEXT PRIMARY KEY,
                        crisis_id INTEGER NOT NULL REFERENCES crisis(id),
                        person TEXT NOT NULL,
                        issued_at DATETIME NOT NULL,
                        expires_at DATETIME NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v5: notices to the requester, held pages") { db in
            // SQLite cannot change a CHECK constraint in place: the page table is rebuilt with the
            // new kinds and the `held` status, rows and ids unchanged. Nothing refers to page ids.
            try db.execute(
                sql: """
                    CREATE TABLE page_v5 (
                        id INTEGER PRIMARY KEY,
                        crisis_id INTEGER NOT NULL REFERENCES crisis(id),
                        person TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        step INTEGER NOT NULL,
                        kind TEXT NOT NULL DEFAULT 'crisis'
                            CHECK (kind IN ('crisis', 'warning', 'breach', 'exhausted', 'receipt', 'ack_notice')),
                        clock TEXT,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'held', 'delivered', 'failed', 'cancelled')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at DATETIME,
                        last_error TEXT,
                        created_at DATETIME NOT NULL
                    );
                    INSERT INTO page_v5 (id, crisis_id, person, channel, step, kind, clock, status, attempts,
                        next_attempt_at, last_error, created_at)
                    SELECT id, crisis_id, person, channel, step, kind, clock, status, attempts,
                        next_attempt_at, last_error, created_at FROM page;
                    DROP TABLE page;
                    ALTER TABLE page_v5 RENAME TO page;
                    CREATE INDEX page_due ON page (next_attempt_at) WHERE status = 'pending';
                    CREATE INDEX page_crisis ON page (crisis_id);
                    """)
        }
        migrator.registerMigration("v6: journal entries indexed by their crisis's id") { db in
            // By reference, each intake's entries went into the index at a random place (references
            // are random): a page of it rewritten per crisis, 256 in a full group commit. Crisis ids
            // only grow, so a crisis's entries land where the last crisis's did. The rows are
            // filled in with the append-only trigger lifted for this one statement.
            try db.execute(
                sql: """
                    ALTER TABLE journal ADD COLUMN crisis_id INTEGER REFERENCES crisis(id);
                    DROP TRIGGER journal_no_update;
                    UPDATE journal SET crisis_id = (SELECT id FROM crisis WHERE crisis.reference = journal.reference)
                        WHERE reference IS NOT NULL;
                    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                    DROP INDEX journal_reference;
                    CREATE INDEX journal_crisis ON journal (crisis_id, id) WHERE crisis_id IS NOT NULL;
                    """)
        }
        return migrator
    }
}
