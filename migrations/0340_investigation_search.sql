-- Up Migration

-- Searching investigations in Japanese and English (issue 11): a word inside a longer sentence
-- without spaces (「二重請求」 in 「クレジットカードで二重請求が発生した」), full-width and half-width alike.
--
-- Not pg_trgm: its trigrams keep only the characters the database's LC_CTYPE calls alphanumeric, and
-- the embedded cluster is initialised with the C locale, where no Japanese character is: show_trgm of
-- a Japanese sentence is {} there (it works on a C.UTF-8 server, so the two would differ). Bigrams of
-- characters do not depend on the locale, and a word of two characters has one.
--
-- search_text is the folded text searched (NFKC, lower-cased; the fields one per line), search_grams
-- its distinct character bigrams (none across white space): a word's bigrams are all in the text's
-- when the word is, so `search_grams @> bigrams(word)` finds the candidates through the GIN index and
-- strpos on search_text confirms them. question_grams (the question's alone) rank similar questions.
-- A trigger keeps them, on every insert and update: the bot cannot make them disagree with the text.

-- The folding every search applies to both sides. normalize() needs a UTF8 database (both are).
CREATE FUNCTION search_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT lower(normalize(t, NFKC)) $$;

-- The distinct character bigrams of an already folded text, sorted; none holding white space.
CREATE FUNCTION search_bigrams(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(DISTINCT g ORDER BY g), '{}')
      FROM (SELECT substr(t, i, 2) AS g FROM generate_series(1, char_length(t) - 1) AS i) AS s
     WHERE g !~ '\s'
  $$;

-- The bigrams a text's words need, each word folded first (the words as the application splits them).
CREATE FUNCTION search_query_bigrams(words text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(DISTINCT g ORDER BY g), '{}')
      FROM unnest(words) AS w, unnest(search_bigrams(search_fold(w))) AS g
  $$;

ALTER TABLE investigations
  ADD COLUMN search_text    text   NOT NULL DEFAULT '',
  ADD COLUMN search_grams   text[] NOT NULL DEFAULT '{}',
  ADD COLUMN question_grams text[] NOT NULL DEFAULT '{}';

CREATE FUNCTION investigations_search_fill() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    NEW.search_text := search_fold(concat_ws(E'\n', NEW.question, NEW.answer, NEW.cause, NEW.customer));
    NEW.search_grams := search_bigrams(NEW.search_text);
    NEW.question_grams := search_bigrams(search_fold(NEW.question));
    RETURN NEW;
  END
  $$;

CREATE TRIGGER investigations_search BEFORE INSERT OR UPDATE ON investigations
  FOR EACH ROW EXECUTE FUNCTION investigations_search_fill();

-- The rows already there.
UPDATE investigations SET question = question;

-- Without the pending list (fastupdate): requests arrive a few an hour, and rows parked there are
-- read by every search until a vacuum, and make the planner shy of the index.
CREATE INDEX investigations_search_grams ON investigations USING gin (search_grams) WITH (fastupdate = off);

GRANT EXECUTE ON FUNCTION search_fold(text), search_bigrams(text), search_query_bigrams(text[]),
  investigations_search_fill() TO toban_app;

-- Down Migration
DROP INDEX investigations_search_grams;
DROP TRIGGER investigations_search ON investigations;
DROP FUNCTION investigations_search_fill();
ALTER TABLE investigations DROP COLUMN question_grams, DROP COLUMN search_grams, DROP COLUMN search_text;
DROP FUNCTION search_query_bigrams(text[]);
DROP FUNCTION search_bigrams(text);
DROP FUNCTION search_fold(text);
