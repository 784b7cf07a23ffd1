-- Schema 6: local accounts with roles, and the record of security incidents (LGPD).
-- Neither table is syncable (no origin/revision columns): accounts belong to this computer, and an
-- incident record is this office's own register. Settings (auto-login, retention periods) live in
-- app_setting.

-- One row per person who logs in here. The password is never stored: only its scrypt hash
-- (password_hash = base64 salt "$" base64 key) and the parameters it was made with
-- (password_params = "scrypt$n=…$r=…$p=…"), so a weaker hash can be upgraded at the next login.
-- The lockout counter is here so that closing the program does not reset it.
CREATE TABLE app_user (
    id                  TEXT PRIMARY KEY CHECK (length(id) = 36),
    login               TEXT NOT NULL UNIQUE,       -- the name folded (no accents, lower case)
    name                TEXT NOT NULL,
    job_title           TEXT NOT NULL DEFAULT '',
    role                TEXT NOT NULL
                        CHECK (role IN ('admin', 'gestor', 'tecnico', 'conselheiro', 'consulta')),
    password_hash       TEXT NOT NULL,
    password_params     TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    recovery_hash       TEXT,                       -- the recovery code, hashed like a password
    recovery_params     TEXT,
    failed_attempts     INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until        TEXT,                       -- UTC ISO-8601; NULL when not waiting
    last_login_at       TEXT,
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    changed_at          TEXT NOT NULL,
    changed_by          TEXT NOT NULL
);

-- Security incidents (Resolução CD/ANPD nº 15/2024): every one is recorded, notified or not, and kept
-- for at least 5 years, so rows cannot be deleted. Free text must not name the people affected.
CREATE TABLE incident (
    id                  TEXT PRIMARY KEY CHECK (length(id) = 36),
    recorded_at         TEXT NOT NULL,
    recorded_by         TEXT NOT NULL,
    occurred_on         TEXT NOT NULL,              -- ISO date (when it happened, as far as known)
    discovered_on       TEXT NOT NULL,              -- ISO date (the 3 business days count from here)
    medium              TEXT NOT NULL,              -- what left or was lost: "pen drive FMAS-02", "notebook"
    package_id          TEXT NOT NULL DEFAULT '',   -- export_log package, when a package was involved
    file_name           TEXT NOT NULL DEFAULT '',
    encrypted           INTEGER CHECK (encrypted IN (0, 1)),
    categories          TEXT NOT NULL,              -- JSON list of category codes
    subjects_estimate   INTEGER CHECK (subjects_estimate >= 0),
    description         TEXT NOT NULL,
    measures            TEXT NOT NULL DEFAULT '',
    high_risk           INTEGER NOT NULL CHECK (high_risk IN (0, 1)),
    notify_by           TEXT NOT NULL,              -- ISO date: 3 business days after discovered_on
    anpd_notified_on    TEXT,
    subjects_notified_on TEXT,
    changed_at          TEXT NOT NULL,
    changed_by          TEXT NOT NULL
);

CREATE TRIGGER incident_no_delete BEFORE DELETE ON incident
BEGIN
    SELECT RAISE(ABORT, 'incident records are kept for at least 5 years');
END;
