/**
 * The statements of a batch commit. One reads and locks what the checks need; one writes the rows
 * of every table at once (data-modifying CTEs over JSON arrays) and sends the notices. Rows of a run
 * created in the batch are written only if that run's insert was (`created` and `new_runs`), so
 * that a run created meanwhile by another process gets nothing from this batch.
 */
import type { Tables } from "./tables.js";

/**
 * The runs the batch writes (by id, and by the idempotency keys of its creates) and the jobs it
 * completes, locked in run id order (then job id order) so that two batches cannot deadlock.
 */
export function lockSql(t: Tables): string {
  return `WITH r AS (
      SELECT run_id, workflow, seq, audit_seq, audit_hash, idempotency_key FROM ${t.runs}
      WHERE run_id = ANY($1::text[])
         OR (workflow, idempotency_key) IN (SELECT * FROM unnest($2::text[], $3::text[]))
      ORDER BY run_id FOR UPDATE),
    j AS (SELECT job_id, lease FROM ${t.jobs} WHERE job_id = ANY($4::text[]) ORDER BY job_id FOR UPDATE)
    SELECT (SELECT coalesce(json_agg(r), '[]'::json) FROM r) AS runs,
      (SELECT coalesce(json_agg(j), '[]'::json) FROM j) AS jobs`;
}

const RUN_STATE = "status text, ended_at bigint, outcome text, success boolean, seq integer, state text";
const ONLY_CREATED = "WHERE NOT x.created OR x.run_id IN (SELECT run_id FROM new_runs)";

/**
 * $1 run inserts, $2 run updates, $3 history, $4 audit, $5 job completions, $6 new jobs (JSON
 * arrays), $7 timer ids to delete, $8 new timers (JSON), $9 the notice channel, $10 the notices.
 */
export function writeSql(t: Tables): string {
  return `WITH new_runs AS (
      INSERT INTO ${t.runs} (run_id, workflow, version, status, initiator, started_at, ended_at, outcome,
        success, seq, state, audit_seq, audit_hash, idempotency_key)
      SELECT x.run_id, x.workflow, x.version, x.status, x.initiator, x.started_at, x.ended_at, x.outcome,
        x.success, x.seq, x.state, x.audit_seq, x.audit_hash, x.idempotency_key
      FROM json_to_recordset($1::json) AS x (run_id text, workflow text, version text, initiator text,
        started_at bigint, ${RUN_STATE}, audit_seq integer, audit_hash text, idempotency_key text)
      ON CONFLICT DO NOTHING RETURNING run_id),
    run_updates AS (
      UPDATE ${t.runs} AS r SET status = x.status, ended_at = x.ended_at, outcome = x.outcome,
        success = x.success, seq = x.seq, state = x.state, audit_seq = x.audit_seq, audit_hash = x.audit_hash
      FROM json_to_recordset($2::json) AS x (run_id text, expected_seq integer, ${RUN_STATE},
        audit_seq integer, audit_hash text)
      WHERE r.run_id = x.run_id AND r.seq = x.expected_seq RETURNING 1),
    history_rows AS (
      INSERT INTO ${t.history} (run_id, seq, event, at)
      SELECT x.run_id, x.seq, x.event, x.at
      FROM json_to_recordset($3::json) AS x (run_id text, seq integer, event text, at text, created boolean)
      ${ONLY_CREATED}),
    audit_rows AS (
      INSERT INTO ${t.audit} (run_id, seq, prev_hash, hash, actor, action, step, instance, reason, policy,
        data_hash, at, details, call)
      SELECT x.run_id, x.seq, x.prev_hash, x.hash, x.actor, x.action, x.step, x.instance, x.reason, x.policy,
        x.data_hash, x.at, x.details, x.call
      FROM json_to_recordset($4::json) AS x (run_id text, seq integer, prev_hash text, hash text, actor text,
        action text, step text, instance text, reason text, policy text, data_hash text, at text,
        details text, call text, created boolean)
      ${ONLY_CREATED}),
    done_jobs AS (
      DELETE FROM ${t.jobs} AS j USING json_to_recordset($5::json) AS x (job_id text, lease integer)
      WHERE j.job_id = x.job_id AND j.lease = x.lease RETURNING 1),
    new_jobs AS (
      INSERT INTO ${t.jobs} (job_id, run_id, kind, command, lease, leased_by, leased_until, created_at)
      SELECT x.job_id, x.run_id, x.kind, x.command, x.lease, x.leased_by, x.leased_until, x.created_at
      FROM json_to_recordset($6::json) AS x (job_id text, run_id text, kind text, command text, lease integer,
        leased_by text, leased_until bigint, created_at bigint, created boolean)
      ${ONLY_CREATED}),
    done_timers AS (DELETE FROM ${t.timers} WHERE timer_id = ANY($7::text[])),
    new_timers AS (
      INSERT INTO ${t.timers} (timer_id, run_id, fire_at)
      SELECT x.timer_id, x.run_id, x.fire_at
      FROM json_to_recordset($8::json) AS x (timer_id text, run_id text, fire_at bigint, created boolean)
      ${ONLY_CREATED})
    SELECT ARRAY(SELECT run_id FROM new_runs) AS created,
      (SELECT count(*) FROM run_updates) AS updated,
      (SELECT count(*) FROM done_jobs) AS completed,
      (SELECT count(*) FROM (SELECT pg_notify($9, n) FROM unnest($10::text[]) AS n) AS s) AS notified`;
}

/** After a lost COMMIT: the runs' seq and state now, to compare with what the batch wrote. */
export function finalsSql(t: Tables): string {
  return `SELECT run_id, seq, state FROM ${t.runs} WHERE run_id = ANY($1::text[])`;
}
