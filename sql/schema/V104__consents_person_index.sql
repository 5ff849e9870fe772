-- Every served recommend() call reads the person's latest personalization consent, and the
-- refresher's batch form reads those of up to 200 persons; consents are sorted by the identity
-- they were recorded under, not by person, so without this skip index each call scans the table.
ALTER TABLE consents ADD INDEX IF NOT EXISTS idx_rec_person person_id TYPE bloom_filter GRANULARITY 4;
ALTER TABLE consents MATERIALIZE INDEX idx_rec_person;
