-- Up Migration

-- Silences (issue 9, item 7): every silence toban makes, from an alert's Silence button or from
-- `/alerts silence <matcher...> <duration>`. With ALERTMANAGER_URL a silence is also created in
-- Alertmanager, through the outbox row alertmanager.silence-create (create_outbox_id; its result
-- holds Alertmanager's id), and expired through alertmanager.silence-expire. Without it the row is
-- a local mute: toban itself keeps quiet about the alerts it matches until ends_at
-- (src/domain/silence.ts, isMuted). Either way the row is what toban shows and unsilences.
--
-- matchers: [{"name", "op" ("=", "!=", "=~", "!~"), "value"}], Alertmanager's semantics.
-- request_key: the click or command that made the silence; the same request handled twice makes one.
CREATE TABLE alert_silences (
  id               bigserial   PRIMARY KEY,
  backend          text        NOT NULL CHECK (backend IN ('alertmanager', 'local')),
  matchers         jsonb       NOT NULL CHECK (jsonb_typeof(matchers) = 'array' AND jsonb_array_length(matchers) > 0),
  starts_at        timestamptz NOT NULL,
  ends_at          timestamptz NOT NULL,
  created_by       text        NOT NULL,
  comment          text        NOT NULL DEFAULT '',
  request_key      text        UNIQUE,
  create_outbox_id bigint,
  expired_at       timestamptz,
  expired_by       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK ((expired_at IS NULL) = (expired_by IS NULL))
);
-- The mutes in force: read for every alert that arrives.
CREATE INDEX alert_silences_in_force ON alert_silences (ends_at) WHERE expired_at IS NULL;

GRANT SELECT, INSERT, UPDATE ON alert_silences TO toban_app;
GRANT USAGE ON SEQUENCE alert_silences_id_seq TO toban_app;

-- Down Migration
DROP TABLE alert_silences;
