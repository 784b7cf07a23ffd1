-- Schema 1: the installation, the hash-chained audit log and deletion tombstones.
--
-- Conventions for every table whose records travel to other machines ("syncable"):
--   id          TEXT PRIMARY KEY   -- UUID4, never reused
--   created_at  TEXT NOT NULL      -- UTC, ISO-8601 with "Z"
--   updated_at  TEXT NOT NULL
--   updated_by  TEXT NOT NULL      -- user id (or 'sistema')
--   origin      TEXT NOT NULL      -- installation id that made the last change
--   revision    INTEGER NOT NULL   -- 1 on insert, +1 on every update
-- Deleting a syncable record removes the row and leaves a row in `tombstones`.

-- One row: this copy of the database, named so that packages can say where a change came from.
CREATE TABLE installation (
    id          TEXT PRIMARY KEY CHECK (length(id) = 36),
    created_at  TEXT NOT NULL,
    singleton   INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1)
);

-- Append-only log of who did what to which record. Each row carries the SHA-256 of the previous
-- row's hash and its own content, so an edited, deleted or reordered row breaks the chain.
-- `fields` lists the names of changed fields, never their values (LGPD: no personal data here).
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL DEFAULT '',
    record_id   TEXT NOT NULL DEFAULT '',
    fields      TEXT NOT NULL DEFAULT '[]',
    detail      TEXT NOT NULL DEFAULT '',
    origin      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_record ON audit_log (entity, record_id);

-- The newest link of the chain, written in the same transaction as the row: without it a deleted
-- last row would leave a chain that still verifies.
CREATE TABLE audit_head (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- What was deleted, so that a package can carry the deletion to another machine.
-- Only ids and timestamps: a tombstone never keeps the deleted values.
CREATE TABLE tombstones (
    entity      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    deleted_at  TEXT NOT NULL,
    deleted_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    PRIMARY KEY (entity, record_id)
);
