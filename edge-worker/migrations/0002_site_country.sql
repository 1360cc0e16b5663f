-- The country whose numbers visitors type without a code: the default region for phone
-- numbers and the widget's phone mask.
ALTER TABLE sites ADD COLUMN country TEXT NOT NULL DEFAULT 'RU';
