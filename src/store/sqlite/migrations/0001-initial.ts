/**
 * The first schema. Times the store compares or orders by are INTEGER epoch milliseconds; times that
 * are hashed or replayed (audit.at, history.at) are kept as the exact text written.
 */
export const sql = /* sql */ `
CREATE TABLE charter_versions (
  workflow    TEXT    NOT NULL,
  version     TEXT    NOT NULL,
  definition  TEXT    NOT NULL,
  source      TEXT    NOT NULL,
  deployed_at INTEGER NOT NULL,
  PRIMARY KEY (workflow, version)
);
CREATE INDEX charter_versions_latest ON charter_versions (workflow, deployed_at);

CREATE TABLE runs (
  run_id          TEXT    PRIMARY KEY,
  workflow        TEXT    NOT NULL,
  version         TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'cancelled')),
  initiator       TEXT    NOT NULL,
  started_at      INTEGER NOT NULL,
  ended_at        INTEGER,
  outcome         TEXT,
  success         INTEGER CHECK (success IN (0, 1)),
  seq             INTEGER NOT NULL,
  state           TEXT    NOT NULL,
  audit_seq       INTEGER NOT NULL DEFAULT 0,
  audit_hash      TEXT,
  idempotency_key TEXT,
  UNIQUE (workflow, idempotency_key)
);
CREATE INDEX runs_by_started ON runs (started_at, run_id);
CREATE INDEX runs_by_workflow ON runs (workflow, started_at, run_id);
CREATE INDEX runs_by_status ON runs (status, started_at, run_id);

CREATE TABLE history (
  run_id TEXT    NOT NULL REFERENCES runs (run_id),
  seq    INTEGER NOT NULL,
  event  TEXT    NOT NULL,
  at     TEXT    NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE audit (
  run_id    TEXT    NOT NULL REFERENCES runs (run_id),
  seq       INTEGER NOT NULL,
  prev_hash TEXT    NOT NULL,
  hash      TEXT    NOT NULL,
  actor     TEXT    NOT NULL,
  action    TEXT    NOT NULL,
  step      TEXT,
  instance  TEXT,
  reason    TEXT,
  policy    TEXT,
  data_hash TEXT,
  at        TEXT    NOT NULL,
  details   TEXT,
  call      TEXT,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
-- Append-only against mistakes; against tampering, the hash chain is what counts.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;

CREATE TABLE jobs (
  job_id       TEXT    PRIMARY KEY,
  run_id       TEXT    NOT NULL REFERENCES runs (run_id),
  kind         TEXT    NOT NULL CHECK (kind IN ('handler', 'model')),
  command      TEXT    NOT NULL,
  lease        INTEGER NOT NULL DEFAULT 0,
  leased_by    TEXT,
  leased_until INTEGER,
  created_at   INTEGER NOT NULL
);
-- Ready jobs: new ones (leased_until IS NULL, by created_at) and expired leases (a range on leased_until).
CREATE INDEX jobs_ready ON jobs (leased_until, created_at);

CREATE TABLE timers (
  timer_id      TEXT    PRIMARY KEY,
  run_id        TEXT    NOT NULL REFERENCES runs (run_id),
  fire_at       INTEGER NOT NULL,
  claimed_until INTEGER
);
CREATE INDEX timers_due ON timers (fire_at, timer_id);
CREATE INDEX timers_claimed ON timers (claimed_until) WHERE claimed_until IS NOT NULL;

CREATE TABLE tasks (
  task_id    TEXT    PRIMARY KEY,
  run_id     TEXT    NOT NULL REFERENCES runs (run_id),
  workflow   TEXT    NOT NULL,
  command    TEXT    NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('open', 'decided', 'expired', 'cancelled')),
  assignees  TEXT    NOT NULL,
  claimed_by TEXT,
  opened_at  INTEGER NOT NULL,
  closed_at  INTEGER
);
CREATE INDEX tasks_by_opened ON tasks (opened_at, task_id);
CREATE INDEX tasks_by_status ON tasks (status, opened_at, task_id);
CREATE INDEX tasks_by_run ON tasks (run_id, opened_at, task_id);

-- The inbox: status and opened_at are copied from tasks so that one assignee's open tasks, in
-- order, are one range of task_assignees_inbox (no sort, no scan of other people's tasks).
CREATE TABLE task_assignees (
  task_id   TEXT    NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
  assignee  TEXT    NOT NULL,
  status    TEXT    NOT NULL,
  opened_at INTEGER NOT NULL,
  PRIMARY KEY (task_id, assignee)
) WITHOUT ROWID;
CREATE INDEX task_assignees_inbox ON task_assignees (assignee, status, opened_at, task_id);

CREATE TABLE subscriptions (
  subscription_id TEXT PRIMARY KEY,
  run_id          TEXT NOT NULL REFERENCES runs (run_id),
  name            TEXT NOT NULL,
  key             TEXT NOT NULL
);
CREATE INDEX subscriptions_by_event ON subscriptions (name, key);

CREATE TABLE exceptions (
  run_id    TEXT    NOT NULL REFERENCES runs (run_id),
  instance  TEXT    NOT NULL,
  workflow  TEXT    NOT NULL,
  step_id   TEXT    NOT NULL,
  code      TEXT    NOT NULL,
  message   TEXT    NOT NULL,
  raised_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, instance)
) WITHOUT ROWID;
CREATE INDEX exceptions_queue ON exceptions (raised_at, run_id, instance);
CREATE INDEX exceptions_by_workflow ON exceptions (workflow, raised_at, run_id, instance);
`;
