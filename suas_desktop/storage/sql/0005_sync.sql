-- Schema 5: exchanging packages between installations (docs/package-format.md).
-- None of these tables is syncable: they describe THIS installation's view of the exchange.

-- Per record, the version vector ("clock": installation id -> counter, JSON) and the SHA-256 of the
-- row as it was when the clock was last brought up to date (at an export or an import). A row whose
-- digest differs from `digest` was changed here since; the next exchange counts that change.
CREATE TABLE sync_record (
    entity      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    clock       TEXT NOT NULL,
    digest      TEXT NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (entity, record_id)
) WITHOUT ROWID;

-- Records made independently on two machines with the same natural key (the municipality profile
-- typed on both, the same cycle started on both): the other installation's id is read as ours.
CREATE TABLE record_alias (
    entity      TEXT NOT NULL,
    foreign_id  TEXT NOT NULL,
    local_id    TEXT NOT NULL,
    peer        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (entity, foreign_id)
) WITHOUT ROWID;

-- Both sides changed a record since they last agreed: both versions are kept here until a person
-- chooses; the choice is recorded and the losing version stays here for the record.
CREATE TABLE conflict (
    id              TEXT PRIMARY KEY,
    entity          TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    kind            TEXT NOT NULL
                    CHECK (kind IN ('edit', 'incoming_delete', 'local_delete', 'duplicate', 'orphan')),
    detected_at     TEXT NOT NULL,
    package_id      TEXT NOT NULL,
    peer            TEXT NOT NULL,
    local_version   TEXT,               -- JSON {"row": {...}} or {"tombstone": {...}}, NULL if absent
    local_clock     TEXT NOT NULL,
    incoming_version TEXT NOT NULL,
    incoming_clock  TEXT NOT NULL,
    incoming_digest TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution      TEXT CHECK (resolution IN ('local', 'incoming')),
    resolved_at     TEXT,
    resolved_by     TEXT,
    UNIQUE (entity, record_id, incoming_digest)
);
CREATE INDEX conflict_open ON conflict (status, entity);

-- Every package imported here (a package id seen twice is a no-op).
CREATE TABLE import_log (
    package_id      TEXT PRIMARY KEY,
    sha256          TEXT NOT NULL,
    scope           TEXT NOT NULL,
    source          TEXT NOT NULL,      -- exporting installation id
    sequence        INTEGER NOT NULL,
    municipality    TEXT NOT NULL,      -- IBGE code
    package_created_at TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    imported_by     TEXT NOT NULL,
    created         INTEGER NOT NULL,
    updated         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL,
    conflicts       INTEGER NOT NULL,
    backup          TEXT NOT NULL DEFAULT ''
);

-- Every package written here; `sequence` numbers them per installation so a receiver sees gaps.
CREATE TABLE export_log (
    package_id  TEXT PRIMARY KEY,
    sequence    INTEGER NOT NULL UNIQUE,
    scope       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    file_name   TEXT NOT NULL
);

-- Package signers this installation trusts (fingerprint = SHA-256 of the raw Ed25519 public key).
CREATE TABLE known_signer (
    fingerprint     TEXT PRIMARY KEY CHECK (length(fingerprint) = 64),
    public_key      TEXT NOT NULL,      -- base64 of the 32 raw bytes
    installation_id TEXT NOT NULL,
    municipality    TEXT NOT NULL,      -- IBGE code
    municipality_name TEXT NOT NULL,
    trusted_at      TEXT NOT NULL,
    trusted_by      TEXT NOT NULL
);
CREATE INDEX known_signer_installation ON known_signer (installation_id);

-- Association profile: the newest regional summary received from each municipality.
CREATE TABLE regional_summary (
    ibge_code           TEXT PRIMARY KEY CHECK (length(ibge_code) = 7),
    municipality_name   TEXT NOT NULL,
    uf                  TEXT NOT NULL,
    data_date           TEXT NOT NULL,  -- when the municipality took the data (package created_at)
    package_id          TEXT NOT NULL,
    source              TEXT NOT NULL,
    imported_at         TEXT NOT NULL,
    summary             TEXT NOT NULL   -- JSON, aggregates only (no personal data)
);
