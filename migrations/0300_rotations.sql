-- Up Migration

-- Shift history: each handoff that happened in a rotation, written once across replicas (the key is
-- the rotation and the instant) by recordHandoffs (src/services/rotations/history.ts). The past is
-- read from here and the future computed on from the last row, so a change to a rotation's members
-- takes effect at its next handoff. `rotation_id` is toban.yml's id (rotations live in the file).
CREATE TABLE rotation_handoffs (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rotation_id       text        NOT NULL,
  starts_at         timestamptz NOT NULL,
  -- When it ended, or is expected to end (set again when the next handoff is recorded).
  ends_at           timestamptz NOT NULL CHECK (ends_at > starts_at),
  -- Who was on duty from starts_at: the schedule's person, or an override's.
  user_id           text        NOT NULL,
  -- Whose turn it was by the schedule, and their place in the members list then (0-based).
  scheduled_user_id text        NOT NULL,
  position          integer     NOT NULL CHECK (position >= 0),
  reason            text        NOT NULL CHECK (reason IN ('schedule', 'override', 'cover')),
  override_id       bigint,
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rotation_id, starts_at)
);

-- Cover requests (代打を募集): someone asks for a period of their rotation to be taken; the first
-- to accept gets an override (status 'accepted', accepted_by).
CREATE TABLE rotation_cover_requests (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rotation_id text        NOT NULL,
  requester   text        NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
  status      text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted')),
  accepted_by text,
  accepted_at timestamptz,
  -- The Slack request that asked: asked again under the same key, it is stored once.
  request_key text        UNIQUE,
  created_at  timestamptz NOT NULL,
  CHECK ((status = 'accepted') = (accepted_by IS NOT NULL))
);

-- Overrides (交代を登録): for a period someone else holds a rotation's duty. Within one rotation
-- they never overlap: the service checks under a transaction-scoped advisory lock per rotation.
CREATE TABLE rotation_overrides (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rotation_id      text        NOT NULL,
  user_id          text        NOT NULL,
  starts_at        timestamptz NOT NULL,
  ends_at          timestamptz NOT NULL CHECK (ends_at > starts_at),
  kind             text        NOT NULL CHECK (kind IN ('override', 'cover')),
  created_by       text        NOT NULL,
  cover_request_id bigint      UNIQUE REFERENCES rotation_cover_requests (id),
  -- The Slack request that set it: set again under the same key, it is stored once.
  request_key      text        UNIQUE,
  created_at       timestamptz NOT NULL,
  CHECK ((kind = 'cover') = (cover_request_id IS NOT NULL))
);
CREATE INDEX rotation_overrides_period ON rotation_overrides (rotation_id, ends_at, starts_at);
CREATE INDEX rotation_overrides_of_user ON rotation_overrides (user_id, ends_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON rotation_handoffs, rotation_cover_requests, rotation_overrides TO toban_app;
GRANT USAGE ON SEQUENCE rotation_handoffs_id_seq, rotation_cover_requests_id_seq, rotation_overrides_id_seq TO toban_app;

-- Down Migration
DROP TABLE rotation_overrides;
DROP TABLE rotation_cover_requests;
DROP TABLE rotation_handoffs;
