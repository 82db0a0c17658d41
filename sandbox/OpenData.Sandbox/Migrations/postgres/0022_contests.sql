-- Innovation contests (issue 17): a contest and its phases, teams and their members, submissions (every version kept for
-- disputes) with their attachments, judges and what each sees, scores per criterion, and the results frozen at publication.
CREATE TABLE contests (
    id                   text PRIMARY KEY,
    title                text NOT NULL,
    title_en             text,
    description          text NOT NULL,
    description_en       text,
    rules                text NOT NULL,
    terms_version        integer NOT NULL,
    tracks               text NOT NULL,          -- JSON array of track names
    datasets             text NOT NULL,          -- JSON array of dataset ids in scope
    starts_at            timestamptz NOT NULL,   -- registration opens
    registration_ends_at timestamptz NOT NULL,
    submission_ends_at   timestamptz NOT NULL,
    judging_ends_at      timestamptz,
    ends_at              timestamptz NOT NULL,
    team_size_limit      integer NOT NULL,
    visibility           text NOT NULL,          -- public | invite
    allowed_domains      text NOT NULL,          -- JSON array of e-mail domains (invite)
    approval             text NOT NULL,          -- auto | manual
    rubric               text NOT NULL,          -- JSON array of {name, weight, max}
    created_by           text,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              integer NOT NULL,
    results_published_at timestamptz,
    results_published_by text
);

CREATE TABLE contest_teams (
    id                text PRIMARY KEY,
    contest_id        text NOT NULL REFERENCES contests (id),
    tenant_id         text NOT NULL,
    name              text NOT NULL,
    name_key          text NOT NULL,             -- the name folded for uniqueness within a contest
    track             text,
    status            text NOT NULL,             -- pending | approved | rejected
    terms_version     integer NOT NULL,          -- the rules' version the team accepted
    terms_accepted_by text,
    terms_accepted_at timestamptz NOT NULL,
    registered_by     text,
    registered_at     timestamptz NOT NULL,
    decided_by        text,
    decided_at        timestamptz,
    decision_reason   text,
    app_id            text,                      -- the team's sandbox app (bound to the contest plan and datasets)
    live_app_id       text,                      -- the live app a winner took live
    entry_code        text NOT NULL,             -- the blind code judges know the team's entry by (random, never derived from the id)
    version           integer NOT NULL,
    UNIQUE (contest_id, name_key),
    UNIQUE (contest_id, entry_code)
);
CREATE INDEX contest_teams_tenant ON contest_teams (tenant_id);

-- One person (e-mail) belongs to one team per contest.
CREATE TABLE contest_team_members (
    contest_id text NOT NULL,
    team_id    text NOT NULL REFERENCES contest_teams (id),
    email      text NOT NULL,
    name       text,
    PRIMARY KEY (contest_id, email)
);
CREATE INDEX contest_team_members_team ON contest_team_members (team_id);

CREATE TABLE contest_attachments (
    id           text PRIMARY KEY,
    contest_id   text NOT NULL,
    team_id      text NOT NULL,
    file_name    text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL,
    sha256       text NOT NULL,
    content      bytea NOT NULL,
    uploaded_by  text,
    uploaded_at  timestamptz NOT NULL
);

-- Each version a team submits; the highest version is the one judged, the older stay for the organiser.
CREATE TABLE contest_submissions (
    id              text PRIMARY KEY,
    contest_id      text NOT NULL,
    team_id         text NOT NULL REFERENCES contest_teams (id),
    version         integer NOT NULL,
    title           text NOT NULL,
    description     text NOT NULL,
    demo_url        text,
    repository_url  text,
    datasets        text NOT NULL,               -- JSON array of dataset ids used
    attachment_id   text,
    submitted_by    text,
    submitted_at    timestamptz NOT NULL,
    UNIQUE (team_id, version)
);
CREATE INDEX contest_submissions_contest ON contest_submissions (contest_id, team_id, version);

-- A judge is a person of any tenant; teams empty/null means every entry not in conflict.
CREATE TABLE contest_judges (
    contest_id text NOT NULL REFERENCES contests (id),
    member_id  text NOT NULL,
    tenant_id  text NOT NULL,
    email      text NOT NULL,
    teams      text,                             -- JSON array of team ids this judge sees, or null for all
    added_by   text,
    added_at   timestamptz NOT NULL,
    PRIMARY KEY (contest_id, member_id)
);

-- A judge's scorecard for an entry: every rubric criterion's score and one comment; scoring again replaces it.
CREATE TABLE contest_scores (
    contest_id text NOT NULL,
    team_id    text NOT NULL,
    member_id  text NOT NULL,
    scores     text NOT NULL,                    -- JSON array of {criterion, score}, in the rubric's order
    comment    text NOT NULL,
    scored_at  timestamptz NOT NULL,
    PRIMARY KEY (contest_id, team_id, member_id)
);

-- The standings frozen at publication; an entry no judge scored has no rank and no score.
CREATE TABLE contest_results (
    contest_id text NOT NULL REFERENCES contests (id),
    team_id    text NOT NULL,
    rank       integer,
    score      double precision,
    judges     integer NOT NULL,
    award      text,
    PRIMARY KEY (contest_id, team_id)
);
