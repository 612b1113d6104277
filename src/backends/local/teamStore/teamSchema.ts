// The team store's schema in PostgreSQL: versioned migrations, applied in order by `db-tickets store init` (or on
// first use by a role that may), and the three roles whose members submit, approve and execute. Every rule that
// keeps the history honest lives here, in the database, so a modified client cannot get around it: the actor of an
// event is the role that connected (session_user), who may record what is checked against role membership, each
// event must fit its ticket's state, and the event table is append-only.

/** The roles a team grants its members; created by `store init` when missing. */
export const teamRoles = {
  submitter: 'db_tickets_submitter',
  approver: 'db_tickets_approver',
  executor: 'db_tickets_executor',
} as const;

/** The channel every recorded event is announced on (its sequence number as payload). */
export const changeChannel = 'db_tickets';

/** One advisory lock for all writes to the store: events are numbered in the order they commit. */
export const writeLock = 7301946021;

export interface Migration {
  version: number;
  what: string;
  sql: string;
}

const members = Object.values(teamRoles).join(', ');

export const migrations: readonly Migration[] = [
  {
    version: 1,
    what: 'events, tickets, heartbeats and results; the rules of the workflow',
    sql: `
CREATE SCHEMA db_tickets;
COMMENT ON SCHEMA db_tickets IS 'DB Tickets: the Local workflow''s tickets, shared by a team';

CREATE TABLE db_tickets.migrations (
  version integer PRIMARY KEY,
  what text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE db_tickets.settings (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  self_approval boolean NOT NULL DEFAULT false
);
INSERT INTO db_tickets.settings DEFAULT VALUES;

-- The current state of each ticket, kept by the event trigger in the same transaction as the event.
CREATE TABLE db_tickets.tickets (
  number integer PRIMARY KEY,
  uid text NOT NULL UNIQUE,
  draft_id text NOT NULL UNIQUE,
  state text NOT NULL,
  submitter text NOT NULL,
  last_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE SEQUENCE db_tickets.event_seq;

-- The history: one event a row, as the folder store's log has one a line. A client inserts only body; the trigger
-- fills in the rest (the number, the ticket, the actor and the time) and refuses what the actor may not record.
CREATE TABLE db_tickets.events (
  seq bigint PRIMARY KEY,
  ticket integer NOT NULL,
  type text NOT NULL,
  actor text NOT NULL,
  at timestamptz NOT NULL,
  body jsonb NOT NULL,
  -- Events copied from a folder store (store migrate): where each came from, so a copy made again adds nothing.
  origin text UNIQUE
);
CREATE INDEX events_ticket ON db_tickets.events (ticket, seq);

-- An execution's process renews its row; other members tell a crashed execution by a stale one.
CREATE TABLE db_tickets.heartbeats (
  ticket integer PRIMARY KEY,
  beat_at timestamptz NOT NULL
);

-- Export results, in chunks, so every member can download them.
CREATE TABLE db_tickets.results (
  ticket integer NOT NULL,
  chunk integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (ticket, chunk)
);

CREATE FUNCTION db_tickets.refuse(code text, message text) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message;
END
$f$;

CREATE FUNCTION db_tickets.is_member(actor text, role text) RETURNS boolean LANGUAGE sql STABLE AS $f$
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = actor) AND pg_catalog.pg_has_role(actor, role, 'MEMBER')
$f$;

CREATE FUNCTION db_tickets.record_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
  importing boolean := NEW.origin IS NOT NULL;
  v_actor text := session_user;
  v_at timestamptz := clock_timestamp();
  v_type text;
  v_no integer;
  v_ticket db_tickets.tickets%ROWTYPE;
  v_next text;
  v_from text[];
  v_role text;
  v_last record;
BEGIN
  PERFORM pg_advisory_xact_lock(${writeLock});
  IF jsonb_typeof(NEW.body) IS DISTINCT FROM 'object' OR jsonb_typeof(NEW.body->'type') IS DISTINCT FROM 'string' THEN
    PERFORM db_tickets.refuse('DT400', 'The event is not a JSON object with a "type": nothing was recorded.');
  END IF;
  v_type := NEW.body->>'type';
  IF coalesce(NEW.body->>'ticket', '') !~ '^[1-9][0-9]{0,8}$' THEN
    PERFORM db_tickets.refuse('DT400', 'The event names no ticket number: nothing was recorded.');
  END IF;
  v_no := (NEW.body->>'ticket')::integer;

  IF importing THEN
    IF NOT pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'db_tickets'), 'MEMBER') THEN
      PERFORM db_tickets.refuse('DT403', 'Only the owner of the db_tickets schema may copy events with their original authors and times (db-tickets store migrate): nothing was recorded.');
    END IF;
    IF EXISTS (SELECT 1 FROM db_tickets.events e WHERE e.origin = NEW.origin) THEN
      RETURN NULL;
    END IF;
    v_actor := NEW.body->>'by';
    v_at := (NEW.body->>'at')::timestamptz;
  END IF;

  IF v_type = 'submitted' THEN
    IF NOT importing AND NOT db_tickets.is_member(v_actor, '${teamRoles.submitter}') THEN
      PERFORM db_tickets.refuse('DT403', format('%s may not submit tickets: submitting takes membership in the role ${teamRoles.submitter}. Ask the database owner to grant it (GRANT ${teamRoles.submitter} TO %I).', v_actor, v_actor));
    END IF;
    IF coalesce(NEW.body->>'uid', '') !~ '^[0-9a-f]{8}$' OR coalesce(NEW.body->>'draftId', '') = '' THEN
      PERFORM db_tickets.refuse('DT400', 'A submitted event needs a uid (8 hex digits) and a draftId: nothing was recorded.');
    END IF;
    SELECT * INTO v_ticket FROM db_tickets.tickets t WHERE t.draft_id = NEW.body->>'draftId';
    IF FOUND THEN
      PERFORM db_tickets.refuse('DT409', format('This draft was already submitted as ticket #%s by %s: nothing new was recorded.', v_ticket.number, v_ticket.submitter));
    END IF;
    IF importing AND EXISTS (SELECT 1 FROM db_tickets.tickets t WHERE t.number = v_no) THEN
      PERFORM db_tickets.refuse('DT409', format('Ticket #%s is taken in the team store by another ticket, so this one was not copied.', v_no));
    ELSIF NOT importing AND v_no <> (SELECT coalesce(max(t.number), 0) + 1 FROM db_tickets.tickets t) THEN
      PERFORM db_tickets.refuse('DT409', format('Ticket number %s is not the next free one (another submit came first): submit again.', v_no));
    END IF;
    INSERT INTO db_tickets.tickets (number, uid, draft_id, state, submitter, last_seq, updated_at)
      VALUES (v_no, NEW.body->>'uid', NEW.body->>'draftId', 'prechecking', v_actor, 0, v_at)
      RETURNING * INTO v_ticket;
    v_next := 'prechecking';
  ELSE
    SELECT * INTO v_ticket FROM db_tickets.tickets t WHERE t.number = v_no FOR UPDATE;
    IF NOT FOUND THEN
      PERFORM db_tickets.refuse('DT404', format('Ticket #%s does not exist in the store: check the id in the ticket list.', v_no));
    END IF;
    CASE v_type
      WHEN 'prechecked' THEN v_from := ARRAY['prechecking'];
        v_next := CASE WHEN (NEW.body->>'passed')::boolean THEN 'pending_approval' ELSE 'precheck_failed' END;
      WHEN 'approved' THEN v_from := ARRAY['pending_approval']; v_next := 'approved'; v_role := '${teamRoles.approver}';
      WHEN 'rejected' THEN v_from := ARRAY['pending_approval']; v_next := 'rejected'; v_role := '${teamRoles.approver}';
      WHEN 'cancelled' THEN v_from := ARRAY['prechecking', 'pending_approval', 'approved']; v_next := 'cancelled';
      WHEN 'commented' THEN v_from := NULL; v_next := v_ticket.state;
      WHEN 'execution_started' THEN v_from := ARRAY['approved']; v_next := 'executing'; v_role := '${teamRoles.executor}';
      WHEN 'execution_succeeded' THEN v_from := ARRAY['executing']; v_next := 'succeeded'; v_role := '${teamRoles.executor}';
      WHEN 'execution_failed' THEN v_from := ARRAY['executing']; v_next := 'failed'; v_role := '${teamRoles.executor}';
      WHEN 'execution_cancelled' THEN v_from := ARRAY['executing']; v_next := 'approved'; v_role := '${teamRoles.executor}';
      ELSE
        PERFORM db_tickets.refuse('DT400', format('"%s" is not an event this store knows: nothing was recorded. A newer DB Tickets may know it; run store init with it.', v_type));
    END CASE;
    IF NOT importing THEN
      IF v_type = 'prechecked' AND v_actor <> v_ticket.submitter THEN
        PERFORM db_tickets.refuse('DT403', format('Only %s, who submitted ticket #%s, records its precheck.', v_ticket.submitter, v_no));
      ELSIF v_type = 'cancelled' AND v_actor <> v_ticket.submitter AND NOT db_tickets.is_member(v_actor, '${teamRoles.approver}') THEN
        PERFORM db_tickets.refuse('DT403', format('%s may not cancel ticket #%s: only its submitter (%s) or an approver (a member of ${teamRoles.approver}) may.', v_actor, v_no, v_ticket.submitter));
      ELSIF v_type = 'commented' AND NOT (db_tickets.is_member(v_actor, '${teamRoles.submitter}') OR db_tickets.is_member(v_actor, '${teamRoles.approver}') OR db_tickets.is_member(v_actor, '${teamRoles.executor}')) THEN
        PERFORM db_tickets.refuse('DT403', format('%s may not comment: commenting takes membership in one of ${members}. Ask the database owner to grant one.', v_actor));
      ELSIF v_role IS NOT NULL AND NOT db_tickets.is_member(v_actor, v_role) THEN
        PERFORM db_tickets.refuse('DT403', format('%s may not %s ticket #%s: that takes membership in the role %s. Ask the database owner to grant it (GRANT %s TO %I), or ask a member.',
          v_actor, CASE v_type WHEN 'approved' THEN 'approve' WHEN 'rejected' THEN 'reject' ELSE 'record the execution of' END, v_no, v_role, v_role, v_actor));
      ELSIF v_type = 'approved' AND v_actor = v_ticket.submitter AND NOT (SELECT self_approval FROM db_tickets.settings) THEN
        PERFORM db_tickets.refuse('DT403', format('%s submitted ticket #%s and may not approve it too: this store does not allow self-approval. Ask another approver.', v_actor, v_no));
      END IF;
    END IF;
    IF v_from IS NOT NULL AND NOT v_ticket.state = ANY (v_from) THEN
      SELECT e.actor, e.at, e.type INTO v_last FROM db_tickets.events e WHERE e.ticket = v_no ORDER BY e.seq DESC LIMIT 1;
      PERFORM db_tickets.refuse('DT409', format('Ticket #%s is %s now (%s by %s at %s), so it cannot be %s: nothing was recorded. Refresh to see it.',
        v_no, replace(v_ticket.state, '_', ' '), replace(v_last.type, '_', ' '), v_last.actor, to_char(v_last.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), replace(v_type, '_', ' ')));
    END IF;
    IF v_type = 'approved' THEN
      NEW.body := NEW.body || jsonb_build_object('self', v_actor = v_ticket.submitter);
    END IF;
  END IF;

  NEW.seq := nextval('db_tickets.event_seq');
  NEW.ticket := v_no;
  NEW.type := v_type;
  NEW.actor := v_actor;
  NEW.at := v_at;
  NEW.body := NEW.body || jsonb_build_object('ticket', v_no::text, 'uid', v_ticket.uid, 'by', v_actor,
    'at', to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
  UPDATE db_tickets.tickets t SET state = v_next, last_seq = NEW.seq, updated_at = v_at WHERE t.number = v_no;
  PERFORM pg_notify('${changeChannel}', NEW.seq::text);
  RETURN NEW;
END
$f$;

CREATE TRIGGER record_event BEFORE INSERT ON db_tickets.events FOR EACH ROW EXECUTE FUNCTION db_tickets.record_event();

CREATE FUNCTION db_tickets.append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM db_tickets.refuse('DT403', 'The ticket history is append-only: events are never changed or deleted.');
  RETURN NULL;
END
$f$;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON db_tickets.events FOR EACH ROW EXECUTE FUNCTION db_tickets.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON db_tickets.events FOR EACH STATEMENT EXECUTE FUNCTION db_tickets.append_only();

REVOKE ALL ON ALL TABLES IN SCHEMA db_tickets FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA db_tickets FROM PUBLIC;
GRANT USAGE ON SCHEMA db_tickets TO ${members};
GRANT SELECT ON db_tickets.migrations, db_tickets.settings, db_tickets.tickets, db_tickets.events, db_tickets.heartbeats, db_tickets.results TO ${members};
GRANT INSERT (body) ON db_tickets.events TO ${members};
GRANT EXECUTE ON FUNCTION db_tickets.is_member(text, text), db_tickets.refuse(text, text) TO ${members};
GRANT INSERT, UPDATE, DELETE ON db_tickets.heartbeats, db_tickets.results TO ${teamRoles.executor};
`,
  },
];

/** The newest schema version this DB Tickets knows. */
export const schemaVersion = migrations.at(-1)!.version;

/** The roles, created when missing (this needs CREATEROLE); a role that exists is left as it is. */
export const createRolesSql = Object.values(teamRoles)
  .map((role) => `DO $r$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF; END $r$;`)
  .join('\n');

