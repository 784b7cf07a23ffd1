-- Schema 2: municipality profile, checklist cycles and their items, evidence attachments.
-- Every table here is syncable (see 0001): UUID id, created_at, updated_at, updated_by, origin, revision.

CREATE TABLE municipality (
    id                      TEXT PRIMARY KEY,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    updated_by              TEXT NOT NULL,
    origin                  TEXT NOT NULL,
    revision                INTEGER NOT NULL,
    name                    TEXT NOT NULL,
    uf                      TEXT NOT NULL CHECK (length(uf) = 2),
    ibge_code               TEXT NOT NULL UNIQUE CHECK (length(ibge_code) = 7),
    population              INTEGER NOT NULL CHECK (population > 0),
    prefeitura_cnpj         TEXT NOT NULL CHECK (length(prefeitura_cnpj) = 14),
    fmas_cnpj               TEXT NOT NULL CHECK (length(fmas_cnpj) = 14),
    fmas_has_budget_unit    INTEGER NOT NULL CHECK (fmas_has_budget_unit IN (0, 1)),
    fmas_has_own_resources  INTEGER NOT NULL CHECK (fmas_has_own_resources IN (0, 1)),
    managing_body           TEXT NOT NULL,
    manager_name            TEXT,
    manager_start           TEXT,
    manager_end             TEXT,
    cmas_president_name     TEXT,
    cmas_president_start    TEXT,
    cmas_president_end      TEXT,
    coat_of_arms_sha256     TEXT
);

-- The municipality's own holidays (aniversário da cidade, padroeiro), counted as non-business days.
CREATE TABLE municipal_holiday (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    day         TEXT NOT NULL,
    name        TEXT NOT NULL,
    recurring   INTEGER NOT NULL CHECK (recurring IN (0, 1))
);

-- One run of a template. Items copy the template's text, so a later template version never
-- rewrites a cycle already started; template_version records which version it used.
CREATE TABLE cycle (
    id                      TEXT PRIMARY KEY,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    updated_by              TEXT NOT NULL,
    origin                  TEXT NOT NULL,
    revision                INTEGER NOT NULL,
    kind                    TEXT NOT NULL CHECK (kind IN ('closing', 'transition')),
    title                   TEXT NOT NULL,
    reference_year          INTEGER NOT NULL,
    template_id             TEXT NOT NULL,
    template_version        TEXT NOT NULL,
    uf                      TEXT,
    state                   TEXT NOT NULL CHECK (state IN ('open', 'concluded')),
    concluded_at            TEXT,
    concluded_by            TEXT,
    carried_from_cycle_id   TEXT REFERENCES cycle (id),
    UNIQUE (kind, reference_year)
);

-- Key dates of a cycle (posse, resultado da eleição, publicação da portaria…) with their provenance.
CREATE TABLE cycle_event (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    cycle_id    TEXT NOT NULL REFERENCES cycle (id) ON DELETE CASCADE,
    event       TEXT NOT NULL,
    day         TEXT NOT NULL,
    norm        TEXT NOT NULL DEFAULT '',
    published   TEXT,
    changed_by  TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    UNIQUE (cycle_id, event)
);

CREATE TABLE cycle_item (
    id                      TEXT PRIMARY KEY,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    updated_by              TEXT NOT NULL,
    origin                  TEXT NOT NULL,
    revision                INTEGER NOT NULL,
    cycle_id                TEXT NOT NULL REFERENCES cycle (id) ON DELETE CASCADE,
    item_key                TEXT NOT NULL,
    section_code            TEXT NOT NULL,
    section_title           TEXT NOT NULL,
    section_order           INTEGER NOT NULL,
    position                INTEGER NOT NULL,
    title                   TEXT NOT NULL,
    guidance                TEXT NOT NULL,
    legal_basis             TEXT NOT NULL,
    evidence                TEXT NOT NULL,
    roles                   TEXT NOT NULL,          -- JSON list of role codes
    scope                   TEXT NOT NULL,
    source                  TEXT NOT NULL,
    deadline_rule           TEXT NOT NULL,          -- JSON, the template's rule
    election_warning        TEXT,
    template_notes          TEXT NOT NULL DEFAULT '',
    status                  TEXT NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'in_progress', 'done', 'not_applicable', 'blocked')),
    status_reason           TEXT NOT NULL DEFAULT '',
    responsible             TEXT NOT NULL DEFAULT '',
    notes                   TEXT NOT NULL DEFAULT '',
    due_override            TEXT,                   -- ISO date that replaces the computed one
    due_override_by_user    INTEGER NOT NULL DEFAULT 0 CHECK (due_override_by_user IN (0, 1)),
    due_override_norm       TEXT NOT NULL DEFAULT '',
    due_override_published  TEXT,
    due_override_changed_by TEXT NOT NULL DEFAULT '',
    due_override_note       TEXT NOT NULL DEFAULT '',
    is_custom               INTEGER NOT NULL DEFAULT 0 CHECK (is_custom IN (0, 1)),
    carried_from_item_id    TEXT,
    UNIQUE (cycle_id, item_key),
    CHECK (status NOT IN ('not_applicable', 'blocked') OR length(trim(status_reason)) > 0)
);
CREATE INDEX cycle_item_cycle ON cycle_item (cycle_id, section_order, position);

-- Evidence: one row per file attached to an item; the bytes live once in anexos/ by SHA-256.
CREATE TABLE attachments (
    id              TEXT PRIMARY KEY,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    origin          TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    cycle_item_id   TEXT NOT NULL REFERENCES cycle_item (id) ON DELETE CASCADE,
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    file_name       TEXT NOT NULL,
    media_type      TEXT NOT NULL,
    size            INTEGER NOT NULL CHECK (size >= 0)
);
CREATE INDEX attachments_item ON attachments (cycle_item_id);
CREATE INDEX attachments_sha256 ON attachments (sha256);
