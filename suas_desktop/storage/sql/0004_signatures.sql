-- Schema 4: digital signatures — this installation's trust store and the documents signed here.

-- Certificates this installation trusts besides the shipped ICP-Brasil roots (resources/icp-brasil):
-- roots and intermediates the user imported, and local (self-signed) certificates of colleagues.
-- Local to this machine: not syncable, never carried by packages.
CREATE TABLE trusted_certificate (
    id          TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    subject     TEXT NOT NULL,
    pem         TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('root', 'intermediate', 'local')),
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL
);

-- One row per signature made with this app (syncable, see 0001). `sha256` is the hash of the
-- signed file as written; `superseded` = 1 once the cycle it belongs to was reopened, so the
-- signed copy no longer reflects the data.
CREATE TABLE signed_document (
    id              TEXT PRIMARY KEY,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    origin          TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    document_kind   TEXT NOT NULL,
    cycle_id        TEXT REFERENCES cycle (id) ON DELETE SET NULL,
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    file_name       TEXT NOT NULL,
    signer          TEXT NOT NULL,
    signed_at       TEXT NOT NULL,
    field_name      TEXT NOT NULL,
    superseded      INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1))
);
CREATE INDEX signed_document_cycle ON signed_document (cycle_id);
CREATE INDEX signed_document_sha256 ON signed_document (sha256);
