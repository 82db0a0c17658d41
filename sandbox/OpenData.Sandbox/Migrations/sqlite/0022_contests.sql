-- Innovation contests (issue 17): a contest and its phases, teams and their members, submissions (every version kept for
-- disputes) with their attachments, judges and what each sees, scores per criterion, and the results frozen at publication.
CREATE TABLE contests (
    id                   TEXT PRIMARY KEY,
    title                TEXT NOT NULL,
    title_en             TEXT,
    description          TEXT NOT NULL,
    description_en       TEXT,
    rules                TEXT NOT NULL,
    terms_version        INTEGER NOT NULL,
    tracks               TEXT NOT NULL,          -- JSON array of track names
    datasets             TEXT NOT NULL,          -- JSON array of dataset ids in scope
    starts_at            TEXT NOT NULL,   -- registration opens
    registration_ends_at TEXT NOT NULL,
    submission_ends_at   TEXT NOT NULL,
    judging_ends_at      TEXT,
    ends_at              TEXT NOT NULL,
    team_size_limit      INTEGER NOT NULL,
    visibility           TEXT NOT NULL,          -- public | invite
    allowed_domains      TEXT NOT NULL,          -- JSON array of e-mail domains (invite)
    approval             TEXT NOT NULL,          -- auto | manual
    rubric               TEXT NOT NULL,          -- JSON array of {name, weight, max}
    created_by           TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    version              INTEGER NOT NULL,
    results_published_at TEXT,
    results_published_by TEXT
);

CREATE TABLE contest_teams (
    id                TEXT PRIMARY KEY,
    contest_id        TEXT NOT NULL REFERENCES contests (id),
    tenant_id         TEXT NOT NULL,
    name              TEXT NOT NULL,
    name_key          TEXT NOT NULL,             -- the name folded for uniqueness within a contest
    track             TEXT,
    status            TEXT NOT NULL,             -- pending | approved | rejected
    terms_version     INTEGER NOT NULL,          -- the rules' version the team accepted
    terms_accepted_by TEXT,
    terms_accepted_at TEXT NOT NULL,
    registered_by     TEXT,
    registered_at     TEXT NOT NULL,
    decided_by        TEXT,
    decided_at        TEXT,
    decision_reason   TEXT,
    app_id            TEXT,                      -- the team's sandbox app (bound to the contest plan and datasets)
    live_app_id       TEXT,                      -- the live app a winner took live
    entry_code        TEXT NOT NULL,             -- the blind code judges know the team's entry by (random, never derived from the id)
    version           INTEGER NOT NULL,
    UNIQUE (contest_id, name_key),
    UNIQUE (contest_id, entry_code)
);
CREATE INDEX contest_teams_tenant ON contest_teams (tenant_id);

-- One person (e-mail) belongs to one team per contest.
CREATE TABLE contest_team_members (
    contest_id TEXT NOT NULL,
    team_id    TEXT NOT NULL REFERENCES contest_teams (id),
    email      TEXT NOT NULL,
    name       TEXT,
    PRIMARY KEY (contest_id, email)
);
CREATE INDEX contest_team_members_team ON contest_team_members (team_id);

CREATE TABLE contest_attachments (
    id           TEXT PRIMARY KEY,
    contest_id   TEXT NOT NULL,
    team_id      TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  TEXT,
    uploaded_at  TEXT NOT NULL
);

-- Each version a team submits; the highest version is the one judged, the older stay for the organiser.
CREATE TABLE contest_submissions (
    id              TEXT PRIMARY KEY,
    contest_id      TEXT NOT NULL,
    team_id         TEXT NOT NULL REFERENCES contest_teams (id),
    version         INTEGER NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    demo_url        TEXT,
    repository_url  TEXT,
    datasets        TEXT NOT NULL,               -- JSON array of dataset ids used
    attachment_id   TEXT,
    submitted_by    TEXT,
    submitted_at    TEXT NOT NULL,
    UNIQUE (team_id, version)
);
CREATE INDEX contest_submissions_contest ON contest_submissions (contest_id, team_id, version);

-- A judge is a person of any tenant; teams empty/null means every entry not in conflict.
CREATE TABLE contest_judges (
    contest_id TEXT NOT NULL REFERENCES contests (id),
    member_id  TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    email      TEXT NOT NULL,
    teams      TEXT,                             -- JSON array of team ids this judge sees, or null for all
    added_by   TEXT,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (contest_id, member_id)
);

-- A judge's scorecard for an entry: every rubric criterion's score and one comment; scoring again replaces it.
CREATE TABLE contest_scores (
    contest_id TEXT NOT NULL,
    team_id    TEXT NOT NULL,
    member_id  TEXT NOT NULL,
    scores     TEXT NOT NULL,                    -- JSON array of {criterion, score}, in the rubric's order
    comment    TEXT NOT NULL,
    scored_at  TEXT NOT NULL,
    PRIMARY KEY (contest_id, team_id, member_id)
);

-- The standings frozen at publication; an entry no judge scored has no rank and no score.
CREATE TABLE contest_results (
    contest_id TEXT NOT NULL REFERENCES contests (id),
    team_id    TEXT NOT NULL,
    rank       INTEGER,
    score      REAL,
    judges     INTEGER NOT NULL,
    award      TEXT,
    PRIMARY KEY (contest_id, team_id)
);
