-- A verdict marked stale (atrium admin rescan) is still shown, and is replaced when the file is scanned again: after
-- clamd's signatures or limits changed, or the pickle scanner learned more, files keep their last verdict meanwhile.
ALTER TABLE av_scans ADD COLUMN stale BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE pickle_scans ADD COLUMN stale BOOLEAN NOT NULL DEFAULT FALSE;
