#include <gtest/gtest.h>

#include "common/did_you_mean.h"
#include "common/error.h"
#include "common/index_key.h"
#include "common/optional_text.h"
#include "common/secrets.h"
#include "common/sha256.h"
#include "common/source_location.h"

namespace pgparity {
namespace {

TEST(DidYouMean, SuggestsCloseKey) {
  EXPECT_EQ(closest_match("nulable", {"nullable", "type", "default"}), "nullable");
  EXPECT_EQ(did_you_mean_suffix("primarykey", {"primary_key", "type"}),
            "; did you mean `primary_key`?");
}

TEST(DidYouMean, NoSuggestionForUnrelatedWord) {
  EXPECT_EQ(closest_match("zebra", {"nullable", "type"}), std::nullopt);
  EXPECT_EQ(did_you_mean_suffix("zebra", {}), "");
}

TEST(DidYouMean, SwappedLettersAreOneTypo) {
  EXPECT_EQ(edit_distance("tabel", "table"), 1u);
  EXPECT_EQ(closest_match("tabel", {"table", "schema", "columns"}), "table");
}

TEST(DidYouMean, TruncatedNameSuggestsTheLongerOne) {
  EXPECT_EQ(closest_match("created", {"id", "created_at", "email"}), "created_at");
  // Ambiguous prefixes suggest nothing rather than a guess.
  EXPECT_EQ(closest_match("user", {"user_id_left", "user_id_right"}), std::nullopt);
}

TEST(DidYouMean, CaseInsensitive) { EXPECT_EQ(edit_distance("ACTIVE", "active"), 0u); }

// Every location in one file shares one copy of its name, and reads it as a string.
TEST(SourceLocation, FileNamesAreSharedAndReadAsStrings) {
  const std::string path = "db/a_rather_long_directory_name/models.yaml";
  const source_location a{path, 1, 1};
  source_location b;
  EXPECT_TRUE(b.file.empty());
  EXPECT_EQ(b.file, file_name());
  b.file = std::string("db/a_rather_long_directory_name/") + "models.yaml";
  EXPECT_EQ(&a.file.str(), &b.file.str());
  EXPECT_EQ(a.file, b.file);
  EXPECT_NE(a.file, file_name("other.yaml"));
  const std::string& text = a.file;
  EXPECT_EQ(text, path);
  EXPECT_EQ(std::string(a.file.c_str()), path);
  EXPECT_EQ(a.file + ":1", path + ":1");
}

// optional_text compares, assigns and converts as the std::optional<std::string> it replaces.
TEST(OptionalText, BehavesAsAnOptionalString) {
  const std::optional<std::string> none;
  const std::optional<std::string> now = "now()";
  optional_text t;
  EXPECT_FALSE(t);
  EXPECT_TRUE(t == none);
  EXPECT_TRUE(none == t);
  EXPECT_FALSE(t == now);
  EXPECT_TRUE(t == std::nullopt);
  EXPECT_EQ(t.value_or("x"), "x");
  t = now;
  EXPECT_TRUE(t.has_value());
  EXPECT_TRUE(t == now);
  EXPECT_FALSE(t != now);
  EXPECT_TRUE(t == "now()");
  EXPECT_TRUE(t == std::string("now()"));
  EXPECT_FALSE(t == none);
  EXPECT_EQ(t->size(), 5u);
  optional_text copy = t;
  *copy += " + 1";
  EXPECT_EQ(*t, "now()");
  EXPECT_TRUE(copy != t);
  const std::optional<std::string> back = copy;
  EXPECT_EQ(back, std::optional<std::string>("now() + 1"));
  copy = std::nullopt;
  EXPECT_TRUE(copy == none);
  EXPECT_TRUE(optional_text() == optional_text(none));
}

TEST(SourceLocation, PrintsWhatIsKnown) {
  EXPECT_EQ((source_location{"a.yaml", 3, 7}).str(), "a.yaml:3:7");
  EXPECT_EQ((source_location{"a.yaml", 3, 0}).str(), "a.yaml:3");
  EXPECT_EQ((source_location{"a.yaml", 0, 0}).str(), "a.yaml");
}

TEST(Error, CarriesExitCode) {
  EXPECT_EQ(input_error("x").code(), exit_code::bad_input);
  EXPECT_EQ(environment_error("x").code(), exit_code::environment);
}

TEST(Hashes, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex(std::string(1000, 'a')).size(), 64u);
  // FIPS 180-4's longer vectors: whole blocks read in place, the padding crossing a block.
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // The portable compression and the CPU's SHA extensions (when present) agree everywhere.
  EXPECT_EQ(common_detail::portable_sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  std::string text;
  for (int n = 0; n < 300; ++n) {
    EXPECT_EQ(sha256_hex(text), common_detail::portable_sha256_hex(text)) << n;
    text += static_cast<char>('a' + n * 7 % 26);
  }
}

// Whole blocks are hashed in place and only the tail padded: lengths around a block's end.
TEST(Hashes, Sha256AroundBlockBoundaries) {
  const auto a = [](std::size_t n) { return sha256_hex(std::string(n, 'a')); };
  EXPECT_EQ(a(55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(a(56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(a(64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  EXPECT_EQ(a(65), "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0");
  EXPECT_EQ(a(1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(IndexKey, SplitsOptionsAfterAColumnACallOrAGroup) {
  const auto parts = [](const std::string& key) {
    const auto p = split_index_key(key);
    return p.expression + "|" + p.options;
  };
  EXPECT_EQ(parts("starts_at DESC"), "starts_at|DESC");
  EXPECT_EQ(parts("created_at desc nulls last"), "created_at|desc nulls last");
  EXPECT_EQ(parts("code text_pattern_ops"), "code|text_pattern_ops");
  EXPECT_EQ(parts("title COLLATE \"C\""), "title|COLLATE \"C\"");
  EXPECT_EQ(parts("name public.gin_trgm_ops"), "name|public.gin_trgm_ops");
  EXPECT_EQ(parts("name gist_trgm_ops (siglen='32')"), "name|gist_trgm_ops (siglen='32')");
  EXPECT_EQ(parts("lower(email) DESC"), "lower(email)|DESC");
  EXPECT_EQ(parts("(a + b) NULLS FIRST"), "(a + b)|NULLS FIRST");
  EXPECT_EQ(parts("\"Title\" COLLATE \"C\" text_pattern_ops ASC"),
            "\"Title\"|COLLATE \"C\" text_pattern_ops ASC");
}

TEST(IndexKey, LeavesExpressionsWhole) {
  for (const std::string key : {"email", "lower(email)", "a + b", "(a + b)", "a::double precision",
                                "x IS NULL", "\"desc\"", "s.f(x)", "desc"}) {
    const auto p = split_index_key(key);
    EXPECT_EQ(p.expression, key) << key;
    EXPECT_EQ(p.options, "") << key;
  }
}

TEST(IndexKey, ParenthesisedItemsRespectQuotesAndNesting) {
  std::size_t end = 0;
  const std::string def =
      "CREATE INDEX \"a(b\" ON t USING btree (lower(x, ','), \"y,z\" DESC) INCLUDE (c)";
  const auto items = parenthesised_items(def, 0, end);
  EXPECT_EQ(items, (std::vector<std::string>{"lower(x, ',')", "\"y,z\" DESC"}));
  EXPECT_EQ(parenthesised_items(def, end, end), std::vector<std::string>{"c"});
}

TEST(Redact, UrlPassword) {
  EXPECT_EQ(redact("cannot connect to postgresql://u:S3cret@h:5432/a: refused"),
            "cannot connect to postgresql://u:***@h:5432/a: refused");
  EXPECT_EQ(redact("postgress://u:S3cret@h/a"), "postgress://u:***@h/a");
  EXPECT_EQ(redact("postgresql://u@h/a"), "postgresql://u@h/a");
  EXPECT_EQ(redact("see https://example.com/x@y"), "see https://example.com/x@y");
}

TEST(Redact, UnencodedAtInPasswordIsMaskedWhole) {
  EXPECT_EQ(redact("`postgresql://u:S3cret@PW0rd@host/db`"), "`postgresql://u:***@host/db`");
  EXPECT_EQ(redact("\"postgresql://u:p@w@[::1/db\""), "\"postgresql://u:***@[::1/db\"");
}

TEST(Redact, PasswordKeywords) {
  EXPECT_EQ(redact("host=h password=S3cret dbname=a"), "host=h password=*** dbname=a");
  EXPECT_EQ(redact("host=h password = 'S3 c\\'ret' dbname=a"), "host=h password = *** dbname=a");
  EXPECT_EQ(redact("postgresql:///a?host=/s&password=S3cret&port=1"),
            "postgresql:///a?host=/s&password=***&port=1");
  EXPECT_EQ(redact("PGPASSWORD=S3cret psql"), "PGPASSWORD=*** psql");
  EXPECT_EQ(redact("password authentication failed for user \"u\""),
            "password authentication failed for user \"u\"");
}

TEST(Redact, RememberedSecretsAnywhere) {
  remember_secret("Tr0ub4dor&3");
  EXPECT_EQ(redact("libpq said: Tr0ub4dor&3 and Tr0ub4dor%263"), "libpq said: *** and ***");
  remember_secret("ab");  // too short to mask as a substring
  EXPECT_EQ(redact("about"), "about");
}

}  // namespace
}  // namespace pgparity
