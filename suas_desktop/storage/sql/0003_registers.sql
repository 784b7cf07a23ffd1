-- Schema 3: the registers behind the dossier (domain.md §2, §5, §8), one table each.
-- Generated once from suas_desktop/domain/registers.py and then frozen, like every migration.
-- Choice lists are validated in the domain, not with CHECK constraints here, so that adding an
-- option never needs a table rebuild; NOT NULL, booleans, non-negative money and references are
-- enforced here too. Money is INTEGER centavos. Dates are ISO text. All tables are syncable.

-- Legislação municipal
CREATE TABLE legislation (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    kind                    TEXT NOT NULL,
    number                  TEXT NOT NULL,
    issued_on               TEXT,
    summary                 TEXT,
    link                    TEXT
);

-- Unidades
CREATE TABLE units (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    kind                    TEXT NOT NULL,
    name                    TEXT NOT NULL,
    address                 TEXT,
    cadsuas_id              TEXT,
    building                TEXT,
    opening_hours           TEXT,
    phone                   TEXT,
    referenced_families     INTEGER CHECK (referenced_families >= 0)
);

-- Serviços
CREATE TABLE unit_services (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    unit_id                 TEXT NOT NULL REFERENCES units (id),
    service                 TEXT NOT NULL,
    year                    INTEGER NOT NULL CHECK (year >= 2000),
    capacity                INTEGER CHECK (capacity >= 0),
    target                  INTEGER CHECK (target >= 0),
    attendances             INTEGER CHECK (attendances >= 0)
);
CREATE INDEX unit_services_unit_id ON unit_services (unit_id);

-- Trabalhadores
CREATE TABLE staff (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    name                    TEXT NOT NULL,
    cpf                     TEXT,
    role                    TEXT NOT NULL,
    profession              TEXT NOT NULL,
    education               TEXT NOT NULL,
    bond                    TEXT NOT NULL,
    unit_id                 TEXT REFERENCES units (id),
    is_coordinator          INTEGER CHECK (is_coordinator IN (0, 1)),
    weekly_hours            INTEGER CHECK (weekly_hours >= 1),
    contract_end            TEXT
);
CREATE INDEX staff_unit_id ON staff (unit_id);

-- Contas bancárias
CREATE TABLE accounts (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    bank                    TEXT NOT NULL,
    branch                  TEXT NOT NULL,
    account                 TEXT NOT NULL,
    block                   TEXT NOT NULL,
    description             TEXT,
    balance_dec31           INTEGER CHECK (balance_dec31 >= 0),
    cutoff_date             TEXT,
    balance_cutoff          INTEGER CHECK (balance_cutoff >= 0),
    yields                  INTEGER CHECK (yields >= 0),
    amount_to_reprogram     INTEGER CHECK (amount_to_reprogram >= 0),
    reconciled              INTEGER CHECK (reconciled IN (0, 1))
);

-- Prestações de contas
CREATE TABLE accountability (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    fiscal_year             INTEGER NOT NULL CHECK (fiscal_year >= 2000),
    source                  TEXT NOT NULL,
    description             TEXT,
    status                  TEXT NOT NULL,
    deadline                TEXT,
    submitted_on            TEXT,
    council_deadline        TEXT,
    council_opinion_on      TEXT,
    notes                   TEXT
);

-- Parcerias (MROSC)
CREATE TABLE partnerships (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    organization            TEXT NOT NULL,
    organization_cnpj       TEXT,
    instrument              TEXT NOT NULL,
    number                  TEXT,
    purpose                 TEXT NOT NULL,
    amount                  INTEGER CHECK (amount >= 0),
    start                   TEXT,
    end                     TEXT,
    status                  TEXT
);

-- Contratos
CREATE TABLE contracts (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    number                  TEXT NOT NULL,
    supplier                TEXT NOT NULL,
    supplier_cnpj           TEXT,
    purpose                 TEXT NOT NULL,
    amount                  INTEGER CHECK (amount >= 0),
    start                   TEXT,
    end                     TEXT,
    continues_next_year     INTEGER CHECK (continues_next_year IN (0, 1)),
    inspector               TEXT
);

-- Bens patrimoniais
CREATE TABLE assets (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    tag                     TEXT,
    description             TEXT NOT NULL,
    category                TEXT NOT NULL,
    unit_id                 TEXT REFERENCES units (id),
    plate                   TEXT,
    acquired_on             TEXT,
    value                   INTEGER CHECK (value >= 0),
    source                  TEXT,
    condition               TEXT
);
CREATE INDEX assets_unit_id ON assets (unit_id);

-- Estoque
CREATE TABLE stock (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    item                    TEXT NOT NULL,
    quantity                INTEGER NOT NULL CHECK (quantity >= 0),
    measure                 TEXT,
    location                TEXT,
    expires_on              TEXT,
    source                  TEXT
);

-- Conselheiros do CMAS
CREATE TABLE council_members (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    name                    TEXT NOT NULL,
    segment                 TEXT NOT NULL,
    represents              TEXT,
    seat                    TEXT,
    mandate_start           TEXT NOT NULL,
    mandate_end             TEXT,
    is_president            INTEGER CHECK (is_president IN (0, 1))
);

-- Resoluções do CMAS
CREATE TABLE council_resolutions (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    number                  TEXT NOT NULL,
    issued_on               TEXT NOT NULL,
    subject                 TEXT NOT NULL,
    kind                    TEXT
);

-- Acessos a sistemas
CREATE TABLE system_access (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    system                  TEXT NOT NULL,
    profile                 TEXT NOT NULL,
    holder                  TEXT NOT NULL,
    holder_role             TEXT,
    transfer_procedure      TEXT,
    reviewed_on             TEXT
);

-- Benefícios eventuais
CREATE TABLE eventual_benefits (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    year                    INTEGER NOT NULL CHECK (year >= 2000),
    kind                    TEXT NOT NULL,
    quantity                INTEGER NOT NULL CHECK (quantity >= 0),
    amount                  INTEGER CHECK (amount >= 0),
    source                  TEXT
);

-- Demanda reprimida
CREATE TABLE unmet_demand (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    case_code               TEXT NOT NULL,
    service                 TEXT NOT NULL,
    received_on             TEXT NOT NULL,
    referred_by             TEXT,
    status                  TEXT NOT NULL,
    resolved_on             TEXT
);

-- Acolhidos fora do município
CREATE TABLE outside_care (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    case_code               TEXT NOT NULL,
    service                 TEXT NOT NULL,
    host_municipality       TEXT NOT NULL,
    since                   TEXT NOT NULL,
    arrangement             TEXT
);

-- Referências regionais
CREATE TABLE regional_references (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    kind                    TEXT NOT NULL,
    name                    TEXT NOT NULL,
    seat_municipality       TEXT,
    services                TEXT,
    agreement               TEXT
);

-- Passivos e riscos
CREATE TABLE liabilities (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    kind                    TEXT NOT NULL,
    reference               TEXT,
    description             TEXT NOT NULL,
    amount                  INTEGER CHECK (amount >= 0),
    deadline                TEXT,
    status                  TEXT NOT NULL
);

-- Local settings of this data folder (never synced): e.g. demo = 1 marks a demonstration folder,
-- which every report prints as "DEMONSTRAÇÃO".
CREATE TABLE app_setting (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
