import GRDB

/// The store's schema, as versioned migrations. GRDB records applied versions in
/// `grdb_migrations`, so starting a server on an older file upgrades it in place and
/// starting it twice changes nothing.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: alerts, runs, steps, timeline, timers, silences") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alerts (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      fingerprint TEXT NOT NULL,
                      name TEXT NOT NULL,
                      source TEXT NOT NULL,
                      severity TEXT,
                      status TEXT NOT NULL,
                      body TEXT NOT NULL,
                      state TEXT NOT NULL,
                      received_at INTEGER NOT NULL,
                      last_seen_at INTEGER NOT NULL,
                      occurrences INTEGER NOT NULL DEFAULT 1,
                      silenced_by TEXT,
                      attempts INTEGER NOT NULL DEFAULT 0,
                      next_attempt_at INTEGER NOT NULL,
                      claimed_by TEXT,
                      lock_until INTEGER,
                      run_id TEXT,
                      note TEXT,
                      resolved_at INTEGER
                    );
                    CREATE INDEX alerts_fingerprint ON alerts(fingerprint, id);
                    CREATE INDEX alerts_queue ON alerts(state, next_attempt_at, id);
                    CREATE TABLE runs (
                      id TEXT PRIMARY KEY,
                      alert_id INTEGER NOT NULL REFERENCES alerts(id),
                      runbook TEXT NOT NULL,
                      fingerprint TEXT NOT NULL,
                      concurrency_key TEXT,
                      state TEXT NOT NULL,
                      outcome TEXT,
                      attempt INTEGER NOT NULL,
                      started_at INTEGER NOT NULL,
                      finished_at INTEGER,
                      acked_by TEXT,
                      acked_at INTEGER,
                      resolved_at INTEGER,
                      evidence TEXT
                    );
                    CREATE UNIQUE INDEX runs_concurrency ON runs(concurrency_key)
                      WHERE state = 'running' AND concurrency_key IS NOT NULL;
                    CREATE INDEX runs_cooldown ON runs(runbook, fingerprint, started_at);
                    CREATE INDEX runs_alert ON runs(alert_id);
                    CREATE TABLE steps (
                      run_id TEXT NOT NULL REFERENCES runs(id),
                      step_id TEXT NOT NULL,
                      seq INTEGER NOT NULL,
                      started_at INTEGER NOT NULL,
                      finished_at INTEGER,
                      result TEXT,
                      PRIMARY KEY (run_id, step_id)
                    );
                    CREATE TABLE timeline (
                      run_id TEXT NOT NULL REFERENCES runs(id),
                      seq INTEGER NOT NULL,
                      event TEXT NOT NULL,
                      PRIMARY KEY (run_id, seq)
                    );
                    CREATE TABLE timers (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      run_id TEXT NOT NULL REFERENCES runs(id),
                      alert_id INTEGER NOT NULL,
                      timer TEXT NOT NULL,
                      escalation INTEGER NOT NULL,
                      base_at INTEGER NOT NULL,
                      due_at INTEGER NOT NULL,
                      key TEXT NOT NULL UNIQUE,
                      state TEXT NOT NULL,
                      claimed_by TEXT,
                      lock_until INTEGER,
                      fired_at INTEGER
                    );
                    CREATE INDEX timers_due ON timers(state, due_at);
                    CREATE INDEX timers_run ON timers(run_id);
                    CREATE TABLE silences (
                      id TEXT PRIMARY KEY,
                      matchers TEXT NOT NULL,
                      starts_at INTEGER NOT NULL,
                      ends_at INTEGER NOT NULL,
                      created_by TEXT NOT NULL,
                      comment TEXT NOT NULL,
                      updated_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2: timers count their claims") { db in
            // A timer claimed more than once may have been delivered by a process that died
            // before recording it: the next delivery is marked as a redelivery.
            try db.execute(sql: "ALTER TABLE timers ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v3: alert claims carry a fencing token") { db in
            // Grows with every claim; a worker whose claim was taken over has its writes refused.
            try db.execute(sql: "ALTER TABLE alerts ADD COLUMN claim_token INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v4: firing alerts expire at their endsAt") { db in
            try db.execute(sql: "ALTER TABLE alerts ADD COLUMN ends_at INTEGER")
            try db.execute(
                sql: "CREATE INDEX alerts_expiry ON alerts(ends_at) WHERE status = 'firing' AND ends_at IS NOT NULL")
        }
        migrator.registerMigration("v5: evidence as received: alert bytes, announcements, manifest digests") { db in
            try db.execute(sql: "ALTER TABLE alerts ADD COLUMN received BLOB")
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN evidence_digest TEXT")
            try db.execute(
                sql: """
                    CREATE TABLE announcements (
                      run_id TEXT NOT NULL REFERENCES runs(id),
                      seq INTEGER NOT NULL,
                      body TEXT NOT NULL,
                      PRIMARY KEY (run_id, seq)
                    )
                    """)
        }
        migrator.registerMigration(
            "v6: approvals relayed between replicas; who resolved, the ack's note, the waiting step"
        ) { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN resolution TEXT")
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN ack_note TEXT")
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN waiting_for TEXT")
            try db.execute(
                sql: """
                    CREATE TABLE decisions (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      run_id TEXT NOT NULL,
                      step TEXT NOT NULL,
                      verdict TEXT NOT NULL,
                      identity TEXT NOT NULL,
                      state TEXT NOT NULL,
                      answer TEXT,
                      created_at INTEGER NOT NULL
                    );
                    CREATE INDEX decisions_pending ON decisions(state, run_id);
                    """)
        }
        migrator.registerMigration("v7: a row that readiness writes") { db in
            try db.execute(
                sql: "CREATE TABLE readiness (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at INTEGER NOT NULL)")
        }
        migrator.registerMigration("v8: runs listed newest first") { db in
            try db.execute(sql: "CREATE INDEX runs_started ON runs(started_at, id)")
        }
        migrator.registerMigration("v9: a cooldown counted by a key of the runbook's choosing") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN cooldown_key TEXT")
            try db.execute(sql: "UPDATE runs SET cooldown_key = fingerprint")
            try db.execute(sql: "DROP INDEX runs_cooldown")
            try db.execute(sql: "CREATE INDEX runs_cooldown_key ON runs(runbook, cooldown_key, started_at)")
        }
        migrator.registerMigration("v10: an alert handed off by one runbook's run to another runbook") { db in
            try db.execute(sql: "ALTER TABLE alerts ADD COLUMN handoff TEXT")
            try db.execute(sql: "ALTER TABLE alerts ADD COLUMN handoffs INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v11: remediation budgets counted across runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE budget_uses (
                      budget TEXT NOT NULL,
                      used_at INTEGER NOT NULL,
                      run_id TEXT NOT NULL,
                      step_id TEXT NOT NULL,
                      UNIQUE (run_id, step_id, budget)
                    );
                    CREATE INDEX budget_uses_window ON budget_uses(budget, used_at);
                    """)
        }
        migrator.registerMigration("v12: schedule ticks claimed once across replicas and restarts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE schedule_ticks (
                      runbook TEXT PRIMARY KEY,
                      schedule TEXT NOT NULL,
                      last_tick INTEGER NOT NULL,
                      alert_id INTEGER,
                      skipped INTEGER NOT NULL DEFAULT 0
                    )
                    """)
        }
        migrator.registerMigration("v13: each serving process and the catalog it serves") { db in
            try db.execute(
                sql: """
                    CREATE TABLE replicas (
                      worker TEXT PRIMARY KEY,
                      catalog_digest TEXT NOT NULL,
                      generation INTEGER NOT NULL,
                      started_at INTEGER NOT NULL,
                      seen_at INTEGER NOT NULL
                    )
                    """)
        }
        return migrator
    }
}
