-- A popular gated repo gathers tens of thousands of requests: its lists are read a page at a time, by status, in
-- the order they were last answered.
CREATE INDEX access_requests_by_status ON access_requests (repo_id, status, updated_at, user_id);
