/**
 * The first schema, run with search_path set to the store's schema (migrate.ts), so no name here is
 * qualified. Mirrors the SQLite schema. Times the store compares or orders by are bigint epoch
 * milliseconds; JSON and every text that is hashed or replayed (state, history, audit) is `text`,
 * kept byte for byte (jsonb would reorder keys and respell numbers). Key columns use the "C"
 * collation: ORDER BY and keyset cursors then follow byte order, as SQLite does and as
 * `compareText` does when rows are merged in JavaScript.
 */
export const sql = /* sql */ `
CREATE TABLE charter_versions (
  workflow       text COLLATE "C" NOT NULL,
  version        text COLLATE "C" NOT NULL,
  definition     text   NOT NULL,
  source         text   NOT NULL,
  deployed_at    bigint NOT NULL,
  -- Breaks a tie of deployed_at: the later insert is the later deployment (SQLite's rowid).
  deployed_order bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (workflow, version)
);
CREATE INDEX charter_versions_latest ON charter_versions (workflow, deployed_at, deployed_order);

CREATE TABLE runs (
  run_id          text COLLATE "C" PRIMARY KEY,
  workflow        text COLLATE "C" NOT NULL,
  version         text    NOT NULL,
  status          text    NOT NULL CHECK (status IN ('running', 'completed', 'cancelled')),
  initiator       text    NOT NULL,
  started_at      bigint  NOT NULL,
  ended_at        bigint,
  outcome         text,
  success         boolean,
  seq             integer NOT NULL,
  state           text    NOT NULL,
  audit_seq       integer NOT NULL DEFAULT 0,
  audit_hash      text,
  idempotency_key text COLLATE "C",
  UNIQUE (workflow, idempotency_key)
);
CREATE INDEX runs_by_started ON runs (started_at, run_id);
CREATE INDEX runs_by_workflow ON runs (workflow, started_at, run_id);
CREATE INDEX runs_by_status ON runs (status, started_at, run_id);

CREATE TABLE history (
  run_id text COLLATE "C" NOT NULL REFERENCES runs (run_id),
  seq    integer NOT NULL,
  event  text    NOT NULL,
  at     text    NOT NULL,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE audit (
  run_id    text COLLATE "C" NOT NULL REFERENCES runs (run_id),
  seq       integer NOT NULL,
  prev_hash text    NOT NULL,
  hash      text    NOT NULL,
  actor     text    NOT NULL,
  action    text    NOT NULL,
  step      text,
  instance  text,
  reason    text,
  policy    text,
  data_hash text,
  at        text    NOT NULL,
  details   text,
  call      text,
  PRIMARY KEY (run_id, seq)
);
-- Append-only against mistakes; against tampering, the hash chain is what counts.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only';
END
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();

CREATE TABLE jobs (
  job_id       text COLLATE "C" PRIMARY KEY,
  run_id       text COLLATE "C" NOT NULL REFERENCES runs (run_id),
  kind         text    NOT NULL CHECK (kind IN ('handler', 'model')),
  command      text    NOT NULL,
  lease        integer NOT NULL DEFAULT 0,
  leased_by    text,
  leased_until bigint,
  created_at   bigint  NOT NULL
);
-- Ready jobs: new ones by age, and expired leases as a range of lease ends.
CREATE INDEX jobs_new ON jobs (created_at, job_id) WHERE leased_until IS NULL;
CREATE INDEX jobs_leased ON jobs (leased_until) WHERE leased_until IS NOT NULL;

CREATE TABLE timers (
  timer_id      text COLLATE "C" PRIMARY KEY,
  run_id        text COLLATE "C" NOT NULL REFERENCES runs (run_id),
  fire_at       bigint NOT NULL,
  claimed_until bigint
);
CREATE INDEX timers_due ON timers (fire_at, timer_id);
CREATE INDEX timers_claimed ON timers (claimed_until) WHERE claimed_until IS NOT NULL;

CREATE TABLE tasks (
  task_id    text COLLATE "C" PRIMARY KEY,
  run_id     text COLLATE "C" NOT NULL REFERENCES runs (run_id),
  workflow   text   NOT NULL,
  command    text   NOT NULL,
  status     text   NOT NULL CHECK (status IN ('open', 'decided', 'expired', 'cancelled')),
  assignees  text   NOT NULL,
  claimed_by text,
  opened_at  bigint NOT NULL,
  closed_at  bigint
);
CREATE INDEX tasks_by_opened ON tasks (opened_at, task_id);
CREATE INDEX tasks_by_status ON tasks (status, opened_at, task_id);
CREATE INDEX tasks_by_run ON tasks (run_id, opened_at, task_id);

-- The inbox: status and opened_at are copied from tasks so that one assignee's open tasks, in
-- order, are one range of task_assignees_inbox (no sort, no scan of other people's tasks).
CREATE TABLE task_assignees (
  task_id   text COLLATE "C" NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
  assignee  text COLLATE "C" NOT NULL,
  status    text   NOT NULL,
  opened_at bigint NOT NULL,
  PRIMARY KEY (task_id, assignee)
);
CREATE INDEX task_assignees_inbox ON task_assignees (assignee, status, opened_at, task_id);

CREATE TABLE subscriptions (
  subscription_id text COLLATE "C" PRIMARY KEY,
  run_id          text COLLATE "C" NOT NULL REFERENCES runs (run_id),
  name            text COLLATE "C" NOT NULL,
  key             text COLLATE "C" NOT NULL
);
CREATE INDEX subscriptions_by_event ON subscriptions (name, key);

CREATE TABLE exceptions (
  run_id    text COLLATE "C" NOT NULL REFERENCES runs (run_id),
  instance  text COLLATE "C" NOT NULL,
  workflow  text COLLATE "C" NOT NULL,
  step_id   text   NOT NULL,
  code      text   NOT NULL,
  message   text   NOT NULL,
  raised_at bigint NOT NULL,
  PRIMARY KEY (run_id, instance)
);
CREATE INDEX exceptions_queue ON exceptions (raised_at, run_id, instance);
CREATE INDEX exceptions_by_workflow ON exceptions (workflow, raised_at, run_id, instance);
`;
